import type { EventStore } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore, MemorySnapshotStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { describe, expect, it } from 'vitest';
import { type SideStores, tellStory } from '../src/story.js';

const stores: Array<[string, () => { store: EventStore; side: SideStores }]> = [
  [
    'SQLite',
    () => {
      const store = createSqliteEventStore({ database: ':memory:' });
      return { store, side: store };
    },
  ],
  [
    'the memory store',
    () => ({
      store: createMemoryEventStore(),
      side: { snapshots: new MemorySnapshotStore(), checkpoints: new MemoryCheckpointStore() },
    }),
  ],
];

describe.each(stores)('the demo story on %s', (_name, createStore) => {
  it('detects the conflict, retries it, and rebuilds past and present state', async () => {
    const lines: string[] = [];
    const { store, side } = createStore();
    await tellStory(store, side, (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toContain("clerk B's save was refused: expected version 3, stream is at 4");
    expect(output).toContain('conflict at version 5: reloaded, retry 1');
    expect(output).toContain("clerk B's eraser is in → version 6, 5 lines");
    expect(output).toContain('adding an item after payment was refused');
    expect(output).toContain('order-1001 now: shipped, 5 lines, €24.50, version 8');
    expect(output).toContain('order-1001 as of version 3: open, notebook + pen, €12.60');
    expect(output).toContain('the same batch again → version 2 (no new event)');
    expect(await store.streamVersion('order-1001')).toBe(8);
    expect((await store.readAll({ limit: 10 })).map((e) => e.position)).toEqual([
      1n,
      2n,
      3n,
      4n,
      5n,
      6n,
      7n,
      8n,
      9n,
      10n,
    ]);
    expect(output).toContain('snapshots written every 500 events: 4');
    expect(output).toContain(
      'loaded at version 2001 (10000 points) from the snapshot at version 2001: replayed 0 events instead of 2001',
    );
    expect(output).toContain(
      'one more purchase, loaded again: 10025 points, replayed 1 event after the snapshot at version 2001',
    );
    await store.close();
  });
});
