import { describeEventStore } from '@strata/conformance';
import { sqliteKitTarget } from '@strata/store-sqlite/testing';
import { afterAll } from 'vitest';
import { withEncryption } from '../src/index.js';
import { conformanceEncryption } from './conformance-encryption.js';

// One encryption (one key store) per database file, so a peer opens what the first instance wrote.
const encryptionOf = new Map<string, ReturnType<typeof conformanceEncryption>>();
function encryptionFor(file: string): ReturnType<typeof conformanceEncryption> {
  let encryption = encryptionOf.get(file);
  if (encryption === undefined) {
    encryption = conformanceEncryption();
    encryptionOf.set(file, encryption);
  }
  return encryption;
}

// The wrapper over a real database, with every optional topic the SQLite adapter's own run has.
const target = sqliteKitTarget({ wrap: (store, file) => withEncryption(store, encryptionFor(file)) });
afterAll(target.removeFiles);

describeEventStore('withEncryption over SqliteEventStore', {
  ...target,
  scale: { largeStreamEvents: 2_000, propertyRuns: 10 },
});
