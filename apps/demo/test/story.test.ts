import type { EventStore } from '@strata/core';
import { createMemoryEventStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { describe, expect, it } from 'vitest';
import { tellStory } from '../src/story.js';

const stores: Array<[string, () => EventStore]> = [
  ['SQLite', () => createSqliteEventStore({ database: ':memory:' })],
  ['the memory store', () => createMemoryEventStore()],
];

describe.each(stores)('the demo story on %s', (_name, createStore) => {
  it('detects the conflict, retries it, and rebuilds past and present state', async () => {
    const lines: string[] = [];
    const store = createStore();
    await tellStory(store, (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toContain("clerk B's save was refused: expected version 3, stream is at 4");
    expect(output).toContain('conflict at version 5: reloaded, retry 1');
    expect(output).toContain("clerk B's eraser is in → version 6, 5 lines");
    expect(output).toContain('adding an item after payment was refused');
    expect(output).toContain('order-1001 now: shipped, 5 lines, €24.50, version 8');
    expect(output).toContain('order-1001 as of version 3: open, notebook + pen, €12.60');
    expect(output).toContain('the same batch again → version 2 (no new event)');
    expect(await store.streamVersion('order-1001')).toBe(8);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
    await store.close();
  });
});
