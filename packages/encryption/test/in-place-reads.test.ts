import type { EventStore, RecordedEvent } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { withEncryption } from '../src/index.js';
import { paymentProcessed, setup, tampered, userCreated } from './fixtures.js';

/** `inner`, remembering every event object its reads returned. */
function remembering(inner: EventStore): { store: EventStore; returned: Set<RecordedEvent> } {
  const returned = new Set<RecordedEvent>();
  const store = tampered(inner, (event) => {
    returned.add(event);
    return event;
  });
  return { store, returned };
}

// A read's events belong to its caller (core's EventStore contract), so the wrapper opens the
// inner store's own objects in place instead of copying each event's data.
describe('withEncryption opens the inner read in place', () => {
  it('every read path returns the inner store’s event objects, opened', async () => {
    const { inner, encryption, store } = setup();
    await store.append('user-u1', [userCreated('u1', 'a@example.com'), paymentProcessed('u1', '4111')]);
    const { store: spied, returned } = remembering(inner);
    const reading = withEncryption(spied, encryption);
    const reads = [
      await reading.readStream('user-u1'),
      (await reading.readStreams(['user-u1'])).get('user-u1') ?? [],
      await reading.readAll(),
    ];
    for (const events of reads) {
      expect(events.map((e) => e.data)).toEqual([
        userCreated('u1', 'a@example.com').data,
        paymentProcessed('u1', '4111').data,
      ]);
      for (const event of events) expect(returned.has(event)).toBe(true);
    }
    // Key order as appended, the opened fields after those left in the clear, nested ones in place.
    expect(Object.keys(reads[0]![0]!.data as object)).toEqual(['userId', 'name', 'email', 'phone']);
    expect(Object.keys((reads[0]![1]!.data as { billing: object }).billing)).toEqual(['city', 'address']);
  });

  it('changing what a read returned changes nothing stored, sealed or opened', async () => {
    const { inner, store } = setup();
    await store.append('user-u1', [paymentProcessed('u1', '4111')]);
    const [event] = await store.readStream('user-u1');
    const data = event!.data as { card_number: string; billing: { address: string } };
    data.card_number = 'changed';
    data.billing.address = 'changed';
    expect((await store.readStream('user-u1'))[0]?.data).toEqual(paymentProcessed('u1', '4111').data);
    expect(JSON.stringify((await inner.readStream('user-u1')).map((e) => e.data))).not.toContain('4111');
  });
});
