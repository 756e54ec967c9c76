import type { RecordedEvent } from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';
import { withUpcasting } from '@strata/upcasting';
import { describe, expect, it } from 'vitest';
import { wrapperCaseStores } from '../src/wrappers/wrapper-cases.js';
import {
  CURRENT_VERSION,
  customerEvent,
  customerUpcasters,
  defaultPlan,
} from '../src/wrappers/wrapper-events.js';
import { assertSameData } from '../src/wrappers/wrapper-same-data.js';
import { withUpcastersByHand } from '../src/wrappers/wrapper-upcasters-by-hand.js';

const STREAMS = ['customer-a', 'customer-bb'];

/** Two streams stored two versions old, read through withUpcasting and through the upcasters by hand. */
async function oldRows() {
  const store = new MemoryEventStore();
  for (const streamId of STREAMS) {
    const events = Array.from({ length: 3 }, (_, n) => customerEvent(streamId, n, 1));
    await store.append(streamId, events, { expectedVersion: 0 });
  }
  return { store, upcasting: withUpcasting(store, customerUpcasters()), byHand: withUpcastersByHand(store) };
}

describe('the upcasters run by hand', () => {
  it('read the same events as withUpcasting, through every read', async () => {
    const { upcasting, byHand } = await oldRows();
    assertSameData('readAll', await upcasting.readAll(), await byHand.readAll());
    for (const streamId of STREAMS) {
      const read = await byHand.readStream(streamId);
      assertSameData(streamId, await upcasting.readStream(streamId), read);
      expect(read.map((e) => e.schemaVersion)).toEqual([CURRENT_VERSION, CURRENT_VERSION, CURRENT_VERSION]);
      expect(read.map((e) => e.data)).toEqual([0, 1, 2].map((n) => customerEvent(streamId, n).data));
    }
    const streams = await byHand.readStreams(['customer-bb', 'customer-a']);
    assertSameData('readStreams', await upcasting.readStream('customer-bb'), streams.get('customer-bb')!);
  });

  it('change only the events a read handed out, never what the store holds', async () => {
    const { store, byHand } = await oldRows();
    await byHand.readAll();
    expect((await store.readStream('customer-a'))[0]).toMatchObject({
      schemaVersion: 1,
      data: customerEvent('customer-a', 0, 1).data,
    });
  });
});

describe('assertSameData over upcast events', () => {
  const reference = async () => (await oldRows()).upcasting.readStream('customer-a');
  const changed = (events: RecordedEvent[], change: Partial<RecordedEvent>): RecordedEvent[] => [
    events[0]!,
    { ...events[1]!, ...change },
    events[2]!,
  ];

  it('fails a yardstick that skipped a step or left the event at its stored version', async () => {
    const events = await reference();
    const stored = customerEvent('customer-a', 1, 1).data as { full_name: string };
    const { plan: _plan, ...withoutPlan } = events[1]!.data as Record<string, unknown>;
    const cases: [string, RecordedEvent[]][] = [
      ['the rename skipped', changed(events, { data: defaultPlan(stored) })],
      ['the default skipped', changed(events, { data: withoutPlan })],
      ['the version left old', changed(events, { schemaVersion: 1 })],
      ['another type', changed(events, { type: 'CustomerRegisteredV1' })],
    ];
    for (const [what, yardstick] of cases) {
      expect(() => assertSameData(what, events, yardstick), what).toThrow(
        /event 1 \(customer-a version 2\) differs/,
      );
    }
  });

  it("fails the case's own check when its read does less than withUpcasting", async () => {
    const store = new MemoryEventStore();
    const stores = wrapperCaseStores(store);
    const { writer, seededVersion, prepare } = stores['upcasters-by-hand'];
    await writer.append('s', [customerEvent('s', 1, seededVersion)], { expectedVersion: 0 });
    await expect(prepare!(['s'])).resolves.toBeUndefined();
    // A row the by-hand read handles differently from withUpcasting (already current: it upcasts again).
    await writer.append('s', [customerEvent('s', 2)], { expectedVersion: 1 });
    await expect(prepare!(['s'])).rejects.toThrow(/upcasters run by hand on s: event 1 .* differs/);
  });
});
