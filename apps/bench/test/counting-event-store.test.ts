import { createMemoryEventStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import {
  addCounts,
  CountingEventStore,
  NO_COUNTS,
  subtractCounts,
} from '../src/tiered/counting-event-store.js';

const event = { type: 'counted', data: { n: 1 } };

describe('CountingEventStore', () => {
  it('counts calls and the rows they return, passing every call through unchanged', async () => {
    const store = new CountingEventStore(createMemoryEventStore());
    await store.append('a', [event, event, event]);
    await store.append('b', [event]);
    const before = store.snapshot();
    expect(before).toEqual({ reads: 0, eventRows: 0, versionLookups: 0, appends: 2 });

    expect(await store.readStream('a', { fromVersion: 2 })).toHaveLength(2);
    expect(await store.streamVersion('a')).toBe(3);
    const both = await store.readStreams(['a', 'b', 'missing']);
    expect([...both.values()].map((events) => events.length)).toEqual([3, 1, 0]);
    expect(await store.readAll({ limit: 3 })).toHaveLength(3);

    expect(subtractCounts(store.snapshot(), before)).toEqual({
      reads: 4,
      eventRows: 2 + 4 + 3,
      versionLookups: 1,
      appends: 0,
    });
    await store.close();
  });

  it('hands out snapshots, not its live counters', async () => {
    const store = new CountingEventStore(createMemoryEventStore());
    const snapshot = store.snapshot();
    await store.readStream('none');
    expect(snapshot).toEqual(NO_COUNTS);
    expect(addCounts(snapshot, store.snapshot())).toEqual({ ...NO_COUNTS, reads: 1 });
  });
});
