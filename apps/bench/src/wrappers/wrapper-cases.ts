import type { EventStore } from '@strata/core';
import { createEncryption, masterKey, withEncryption } from '@strata/encryption';
import { MemoryKeyStore } from '@strata/store-memory';
import { withUpcasting } from '@strata/upcasting';
import {
  CURRENT_VERSION,
  CUSTOMER_EVENT,
  customerUpcasters,
  ENCRYPTED_FIELDS,
  type StoredVersion,
  subjectOfCustomer,
} from './wrapper-events.js';

/**
 * What each case reads or appends through. `upcasting` reads events already current; the two
 * `upcasting-*-old` cases read, through the same wrapper, events stored one and two versions old.
 */
export const WRAPPER_CASES = [
  'plain',
  'upcasting',
  'upcasting-1-old',
  'upcasting-2-old',
  'encryption',
  'both',
] as const;
export type WrapperCase = (typeof WRAPPER_CASES)[number];

/** Appends always write current events, so the old-version cases are read cases only. */
export const APPEND_CASES: readonly WrapperCase[] = ['plain', 'upcasting', 'encryption', 'both'];

export const CASE_LABELS: Readonly<Record<WrapperCase, string>> = {
  plain: 'plain store',
  upcasting: 'withUpcasting, current events',
  'upcasting-1-old': 'withUpcasting, 1 version old',
  'upcasting-2-old': 'withUpcasting, 2 versions old',
  encryption: 'withEncryption (2 fields)',
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
}

/**
 * Every case over one store: the wrappers as documented, encryption with a memory key store and a
 * fixed master key, composed as `withUpcasting(withEncryption(store))`.
 */
export function wrapperCaseStores(store: EventStore): Record<WrapperCase, CaseStores> {
  const chain = customerUpcasters();
  const encryption = createEncryption({
    keyStore: new MemoryKeyStore(),
    masterKeys: [masterKey('bench', BENCH_MASTER_KEY)],
    currentMasterKeyId: 'bench',
    fields: { [CUSTOMER_EVENT]: ENCRYPTED_FIELDS },
    subjectOf: subjectOfCustomer,
  });
  const upcasting = withUpcasting(store, chain);
  const encrypting = withEncryption(store, encryption);
  const both = withUpcasting(withEncryption(store, encryption), chain);
  const current = CURRENT_VERSION as StoredVersion;
  return {
    plain: { subject: store, writer: store, seededVersion: current },
    upcasting: { subject: upcasting, writer: upcasting, seededVersion: current },
    'upcasting-1-old': { subject: upcasting, writer: store, seededVersion: 2 },
    'upcasting-2-old': { subject: upcasting, writer: store, seededVersion: 1 },
    encryption: { subject: encrypting, writer: encrypting, seededVersion: current },
    both: { subject: both, writer: both, seededVersion: current },
  };
}
