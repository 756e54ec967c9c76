import { describe, expect, it } from 'vitest';
import { tellStory } from '../src/story.js';
import { demoStores } from './demo-stores.js';

describe.each(demoStores)('the demo story on %s', (_name, createStore) => {
  it('detects the conflict, retries it, and rebuilds past and present state', async () => {
    const lines: string[] = [];
    const { store, side } = await createStore();
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
    // The realtime read model was current when the append returned; the async one lagged until its catch-up.
    expect(output).toMatch(/^ {2}order-1001 +shipped +5 lines +€24\.50$/m);
    expect(output).toMatch(/^ {2}order-1002 +open +1 line +€12\.00$/m);
    expect(side.orderSummaries.status()).toMatchObject({ state: 'live', eventsProcessed: 10 });
    expect(output).toMatch(
      /items-sold-by-sku lags 1 event behind \(\d+\.\d{3} s\): still notebook ×2, pen ×3, ink ×1, paper ×1, eraser ×1$/m,
    );
    expect(output).toContain(
      'after its runner catches up (lag 0): notebook ×2, pen ×13, ink ×1, paper ×1, eraser ×1',
    );
    await store.close();
  });
});
