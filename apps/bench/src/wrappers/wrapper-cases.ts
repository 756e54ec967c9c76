import type { EventStore } from '@strata/core';
import { createEncryption, masterKey, withEncryption } from '@strata/encryption';
import { MemoryKeyStore } from '@strata/store-memory';
import { withUpcasting } from '@strata/upcasting';
import { BareDecryption, withBareDecryption } from './wrapper-bare-decryption.js';
import { unwrapBenchDataKeys } from './wrapper-data-keys.js';
import {
  AAD_BYTES,
  CURRENT_VERSION,
  CUSTOMER_EVENT,
  customerUpcasters,
  ENCRYPTED_FIELDS,
  SEALED_PLAINTEXT,
  type StoredVersion,
  subjectOfCustomer,
} from './wrapper-events.js';
import { MinimalDecryption, withMinimalDecryption } from './wrapper-minimal-decryption.js';
import { assertSameData } from './wrapper-same-data.js';
import { withUpcastersByHand } from './wrapper-upcasters-by-hand.js';

/**
 * What each case reads or appends through. `upcasting` reads events already current; the two
 * `upcasting-*-old` cases read, through the same wrapper, events stored one and two versions old.
 * `bare-decryption` reads plain events and runs the cipher floor's bare decryption once per event
 * inside the read: the floor in place, a yardstick for `encryption`, not a wrapper.
 * `minimal-decryption` reads `encryption`'s own rows through the plain store and opens each event
 * with the least work the stored format allows: the floor a wrapper's read is judged against.
 * `upcasters-by-hand` reads `upcasting-2-old`'s rows through the plain store and runs the bench's two
 * upcasters on each event by hand: the floor `withUpcasting`'s read of old events is judged against.
 */
export const WRAPPER_CASES = [
  'plain',
  'upcasting',
  'upcasting-1-old',
  'upcasting-2-old',
  'upcasters-by-hand',
  'encryption',
  'bare-decryption',
  'minimal-decryption',
  'both',
] as const;
export type WrapperCase = (typeof WRAPPER_CASES)[number];

/** Appends always write current events, so the old-version cases (and the yardsticks) are read cases only. */
export const APPEND_CASES: readonly WrapperCase[] = ['plain', 'upcasting', 'encryption', 'both'];

export const CASE_LABELS: Readonly<Record<WrapperCase, string>> = {
  plain: 'plain store',
  upcasting: 'withUpcasting, current events',
  'upcasting-1-old': 'withUpcasting, 1 version old',
  'upcasting-2-old': 'withUpcasting, 2 versions old',
  'upcasters-by-hand': 'upcasters run by hand',
  encryption: 'withEncryption (2 fields)',
  'bare-decryption': 'plain + bare decryption',
  'minimal-decryption': 'minimal decrypting read',
  both: 'both (upcasting outside)',
};

/** A fixed test key: the bench measures the cipher, not key management. Never a real secret. */
const BENCH_MASTER_KEY = Buffer.from('strata-bench-fixed-master-key-32', 'utf8');

/** One case's stores: what it is measured through, and what wrote its read seed. */
export interface CaseStores {
  /** The store the case reads and appends through. */
  subject: EventStore;
  /** The store its seed is written through (the plain store for events stored as old versions). */
  writer: EventStore;
  /** The schema version its seeded events are stored at. */
  seededVersion: StoredVersion;
  /** The case whose seeded rows this one reads, seeding none of its own: a yardstick over the same rows. */
  readsRowsOf?: WrapperCase;
  /**
   * Runs once after seeding, untimed, with the streams the case reads: gets what the case needs in
   * hand (keys) and checks that it reads what the case it is a yardstick for reads.
   */
  prepare?: (streamIds: readonly string[]) => Promise<void>;
}

/**
 * Every case over one store: the wrappers as documented, encryption with a memory key store and a
 * fixed master key, composed as `withUpcasting(withEncryption(store))`.
 */
export function wrapperCaseStores(store: EventStore): Record<WrapperCase, CaseStores> {
  const chain = customerUpcasters();
  const keyStore = new MemoryKeyStore();
  const encryption = createEncryption({
    keyStore,
    masterKeys: [masterKey('bench', BENCH_MASTER_KEY)],
    currentMasterKeyId: 'bench',
    fields: { [CUSTOMER_EVENT]: ENCRYPTED_FIELDS },
    subjectOf: subjectOfCustomer,
  });
  const upcasting = withUpcasting(store, chain);
  const encrypting = withEncryption(store, encryption);
  const both = withUpcasting(withEncryption(store, encryption), chain);
  const minimal = new MinimalDecryption();
  const minimalRead = withMinimalDecryption(store, minimal);
  const byHand = withUpcastersByHand(store);
  const current = CURRENT_VERSION as StoredVersion;
  return {
    plain: { subject: store, writer: store, seededVersion: current },
    upcasting: { subject: upcasting, writer: upcasting, seededVersion: current },
    'upcasting-1-old': { subject: upcasting, writer: store, seededVersion: 2 },
    'upcasting-2-old': { subject: upcasting, writer: store, seededVersion: 1 },
    'upcasters-by-hand': {
      subject: byHand,
      writer: store,
      seededVersion: 1,
      readsRowsOf: 'upcasting-2-old',
      async prepare(streamIds) {
        for (const streamId of streamIds) {
          assertSameData(
            `upcasters run by hand on ${streamId}`,
            await upcasting.readStream(streamId),
            await byHand.readStream(streamId),
          );
        }
      },
    },
    encryption: { subject: encrypting, writer: encrypting, seededVersion: current },
    'bare-decryption': {
      subject: withBareDecryption(store, new BareDecryption(SEALED_PLAINTEXT, AAD_BYTES)),
      writer: store,
      seededVersion: current,
    },
    'minimal-decryption': {
      subject: minimalRead,
      writer: encrypting,
      seededVersion: current,
      readsRowsOf: 'encryption',
      async prepare(streamIds) {
        minimal.useKeys(await unwrapBenchDataKeys(keyStore, 'bench', BENCH_MASTER_KEY));
        for (const streamId of streamIds) {
          const reference = await encrypting.readStream(streamId);
          assertSameData(
            `minimal decrypting read of ${streamId}`,
            reference,
            await minimalRead.readStream(streamId),
          );
        }
      },
    },
    both: { subject: both, writer: both, seededVersion: current },
  };
}
