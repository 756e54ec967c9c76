import type { NewEvent } from '@strata/core';
import { defineUpcasters, type UpcasterChain } from '@strata/upcasting';

/** The event every case writes and reads: current at schema version 3, two fields encrypted. */
export const CUSTOMER_EVENT = 'CustomerRegistered';
export const CURRENT_VERSION = 3;
export const ENCRYPTED_FIELDS = ['email', 'phone'] as const;

/** Schema versions a stored event may have: current, one version old, two versions old. */
export type StoredVersion = 1 | 2 | 3;

/** Version 1 named the field `full_name`, version 2 renamed it `name`: a rename, as real upcasters do. */
export const renameFullName = ({ full_name, ...rest }: { full_name: string }) => ({
  ...rest,
  name: full_name,
});

/** Version 3 added `plan`, `basic` for older customers (as for these): a default, as real upcasters do. */
export const defaultPlan = (data: object) => ({ ...data, plan: 'basic' });

/**
 * The chain from version 1 to 3, the two steps above. Each copies the payload, so an old event pays
 * for a copy per step; the functions are exported so that a yardstick runs exactly these by hand.
 */
export function customerUpcasters(): UpcasterChain {
  return defineUpcasters({ [CUSTOMER_EVENT]: CURRENT_VERSION }, [
    { type: CUSTOMER_EVENT, fromVersion: 1, upcast: renameFullName },
    { type: CUSTOMER_EVENT, fromVersion: 2, upcast: defaultPlan },
  ]);
}

/** The customer a stream belongs to: the subject whose data key encrypts its fields. */
export const subjectOfCustomer = (event: { data: unknown }): string =>
  (event.data as { customerId: string }).customerId;

/**
 * One `CustomerRegistered` event at the given schema version: about 300 bytes of JSON at every
 * version (the test checks it), `email` and `phone` among them.
 */
export function customerEvent(
  customerId: string,
  n: number,
  version: StoredVersion = CURRENT_VERSION,
): NewEvent {
  const name = `Customer ${n}`;
  const data: Record<string, unknown> = {
    customerId,
    email: `customer-${n}@example.com`,
    phone: `+44 20 7946 ${String(n % 10_000).padStart(4, '0')}`,
    ...(version === 1 ? { full_name: name } : { name }),
    address: { street: `${n} Long Acre Road`, city: 'London', postcode: 'WC2E 9LH', country: 'GB' },
    marketingOptIn: n % 2 === 0,
    ...(version === 3 ? { plan: 'basic' } : {}),
    note: 'Registered through the partner portal in spring.',
  };
  return { type: CUSTOMER_EVENT, data, schemaVersion: version };
}

/** What `withEncryption` seals per bench event: the two fields' values as one JSON array. */
export const SEALED_PLAINTEXT = (() => {
  const data = customerEvent('customer-0001', 1).data as Record<string, unknown>;
  return JSON.stringify(ENCRYPTED_FIELDS.map((field) => data[field]));
})();
/** About the size of the AAD binding a bench event's fields (key, subject, event id, stream, type, paths). */
export const AAD_BYTES = 160;
