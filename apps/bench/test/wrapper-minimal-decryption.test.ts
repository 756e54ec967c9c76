import type { RecordedEvent } from '@strata/core';
import { createEncryption, masterKey, withEncryption } from '@strata/encryption';
import { MemoryEventStore, MemoryKeyStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { unwrapBenchDataKeys } from '../src/wrappers/wrapper-data-keys.js';
import {
  CUSTOMER_EVENT,
  customerEvent,
  ENCRYPTED_FIELDS,
  subjectOfCustomer,
} from '../src/wrappers/wrapper-events.js';
import { MinimalDecryption, withMinimalDecryption } from '../src/wrappers/wrapper-minimal-decryption.js';
import { assertSameData } from '../src/wrappers/wrapper-same-data.js';

const MASTER = Buffer.from('strata-bench-test-master-key-32b', 'utf8');

/** Two subjects' streams written through `withEncryption`, and the minimal read over the same rows. */
async function encryptedRows() {
  const store = new MemoryEventStore();
  const keyStore = new MemoryKeyStore();
  const encryption = createEncryption({
    keyStore,
    masterKeys: [masterKey('test', MASTER)],
    currentMasterKeyId: 'test',
    fields: { [CUSTOMER_EVENT]: ENCRYPTED_FIELDS },
    subjectOf: subjectOfCustomer,
  });
  const encrypting = withEncryption(store, encryption);
  for (const streamId of ['customer-a', 'customer-bb']) {
    const events = Array.from({ length: 3 }, (_, n) => customerEvent(streamId, n));
    await encrypting.append(streamId, events, { expectedVersion: 0 });
  }
  const minimal = new MinimalDecryption();
  minimal.useKeys(await unwrapBenchDataKeys(keyStore, 'test', MASTER));
  return { store, keyStore, encrypting, minimalRead: withMinimalDecryption(store, minimal) };
}

describe('the minimal decrypting read', () => {
  it("opens withEncryption's rows to the same data, through every read, across subjects", async () => {
    const { encrypting, minimalRead } = await encryptedRows();
    assertSameData('readAll', await encrypting.readAll(), await minimalRead.readAll());
    for (const streamId of ['customer-a', 'customer-bb']) {
      const read = await minimalRead.readStream(streamId);
      assertSameData(streamId, await encrypting.readStream(streamId), read);
      expect(read.map((e) => e.data)).toEqual([0, 1, 2].map((n) => customerEvent(streamId, n).data));
    }
    const streams = await minimalRead.readStreams(['customer-bb', 'customer-a']);
    assertSameData('readStreams', await encrypting.readStream('customer-bb'), streams.get('customer-bb')!);
  });

  it('fails on a ciphertext that does not authenticate: it really decrypts, AAD included', async () => {
    const { store, minimalRead } = await encryptedRows();
    // Another event's envelope: the same key, but bound (AAD) to that other event.
    const [first, second] = await store.readStream('customer-a');
    const moved = (second!.data as Record<string, unknown>)['$strata.encrypted'];
    await store.append('customer-a', [
      { type: CUSTOMER_EVENT, data: { ...(first!.data as object), '$strata.encrypted': moved } },
    ]);
    await expect(minimalRead.readStream('customer-a')).rejects.toThrow(/authenticate/);
  });

  it('needs its keys: a key store wrapped under another master key does not unwrap', async () => {
    const { keyStore } = await encryptedRows();
    await expect(unwrapBenchDataKeys(keyStore, 'other', MASTER)).rejects.toThrow(/master key "test"/);
    await expect(unwrapBenchDataKeys(keyStore, 'test', Buffer.alloc(32))).rejects.toThrow(/authenticate/);
  });
});

describe('assertSameData', () => {
  const read = async () => (await encryptedRows()).encrypting.readStream('customer-a');
  const withData = (event: RecordedEvent, data: Record<string, unknown>): RecordedEvent => ({
    ...event,
    data,
  });

  it('passes on the same events and data', async () => {
    expect(() => assertSameData('same', [], [])).not.toThrow();
    const events = await read();
    expect(() => assertSameData('same', events, structuredClone(events))).not.toThrow();
  });

  it('fails a yardstick that left a field sealed, skipped a value, reordered the data or read less', async () => {
    const events = await read();
    const data = events[1]!.data as Record<string, unknown>;
    const { phone, ...withoutPhone } = data;
    const cases: [string, RecordedEvent[]][] = [
      ['a value skipped', [events[0]!, withData(events[1]!, withoutPhone), events[2]!]],
      [
        'a field left sealed',
        [events[0]!, withData(events[1]!, { ...withoutPhone, phone: { sealed: 1 } }), events[2]!],
      ],
      ['another order', [events[0]!, withData(events[1]!, { phone, ...withoutPhone }), events[2]!]],
      ['fewer events', events.slice(0, 2)],
    ];
    for (const [what, yardstick] of cases) {
      expect(() => assertSameData(what, events, yardstick), what).toThrow(
        what === 'fewer events'
          ? /read 2 events, the reference 3/
          : /event 1 \(customer-a version 2\) differs/,
      );
    }
  });
});
