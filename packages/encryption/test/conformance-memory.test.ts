import { describeEventStore } from '@strata/conformance';
import type { MemoryStorage } from '@strata/store-memory';
import { memoryKitTarget } from '@strata/store-memory/testing';
import { withEncryption } from '../src/index.js';
import { conformanceEncryption } from './conformance-encryption.js';

// One encryption (one key store) per storage, so a peer opens what the first instance wrote.
const encryptionOf = new WeakMap<MemoryStorage, ReturnType<typeof conformanceEncryption>>();
function encryptionFor(storage: MemoryStorage): ReturnType<typeof conformanceEncryption> {
  let encryption = encryptionOf.get(storage);
  if (encryption === undefined) {
    encryption = conformanceEncryption();
    encryptionOf.set(storage, encryption);
  }
  return encryption;
}

// The wrapper is an EventStore like any adapter, so it runs the whole kit over the reference store.
describeEventStore(
  'withEncryption over MemoryEventStore',
  memoryKitTarget({ wrap: (store, storage) => withEncryption(store, encryptionFor(storage)) }),
);
