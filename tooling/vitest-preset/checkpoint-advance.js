// The scenarios of `advanceCheckpointFromPreceding` (an append context's one-statement realtime
// bookkeeping), for every store that offers it (PostgreSQL, MySQL): the engine brings a fresh store.
import { afterEach, expect, it } from 'vitest';

export function describeCheckpointAdvance(openStore) {
  const cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup() {
    const { store, close } = await openStore();
    cleanups.push(close);
    const moves = [];
    // Every append moves checkpoint 'p' to its last event when 'p' is at the last 'a' before it.
    store.onAppendTransaction(async ({ events, advanceCheckpointFromPreceding }) => {
      moves.push(await advanceCheckpointFromPreceding('p', events.at(-1).position, ['a']));
    });
    return { store, moves };
  }

  it('moves a checkpoint that stands at the last event of its types before the append, in the same transaction', async () => {
    const { store, moves } = await setup();
    await store.append('s', [{ type: 'a', data: {} }]); // position 1
    await store.append('s', [{ type: 'b', data: {} }]); // position 2: not of its types
    await store.checkpoints.saveCheckpoint('p', 1n);
    const { events } = await store.append('s', [{ type: 'a', data: {} }]); // preceding 'a': 1
    expect(moves).toEqual([false, false, true]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(events[0].position);
  });

  it('checks every one of several types', async () => {
    const { store } = await setup();
    const moved = [];
    store.onAppendTransaction(async ({ events, advanceCheckpointFromPreceding }) => {
      moved.push(await advanceCheckpointFromPreceding('q', events.at(-1).position, ['a', 'b', 'c']));
    });
    await store.append('s', [
      { type: 'a', data: {} },
      { type: 'b', data: {} },
    ]); // 1, 2
    await store.checkpoints.saveCheckpoint('q', 1n);
    await store.append('s', [{ type: 'c', data: {} }]); // preceding of a, b, c: 2, not 1
    await store.checkpoints.saveCheckpoint('q', 2n, { expectedPosition: 1n });
    await store.append('s', [{ type: 'c', data: {} }]); // preceding: 3 (the c above), not 2
    await store.checkpoints.saveCheckpoint('q', 3n, { expectedPosition: 2n });
    await store.append('s', [{ type: 'a', data: {} }]); // preceding: 4
    expect(moved).toEqual([false, false, false, false]);
    await store.checkpoints.saveCheckpoint('q', 5n, { expectedPosition: 3n });
    await store.append('s', [{ type: 'b', data: {} }]); // preceding: 5, the a above
    expect(moved.at(-1)).toBe(true);
    expect(await store.checkpoints.loadCheckpoint('q')).toBe(6n);
  });

  it('writes nothing when the checkpoint is absent or elsewhere, and counts 0 as in place with nothing before', async () => {
    const { store, moves } = await setup();
    await store.append('s', [{ type: 'a', data: {} }]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBeUndefined();
    await store.checkpoints.saveCheckpoint('p', 0n);
    await store.append('s', [{ type: 'a', data: {} }]); // preceding 'a': 1, checkpoint 0
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(0n);
    expect(moves).toEqual([false, false]);

    const { store: fresh, moves: freshMoves } = await setup();
    await fresh.checkpoints.saveCheckpoint('p', 0n);
    const { events } = await fresh.append('t', [
      { type: 'b', data: {} },
      { type: 'a', data: {} },
    ]);
    expect(freshMoves).toEqual([true]);
    expect(await fresh.checkpoints.loadCheckpoint('p')).toBe(events[1].position);
  });

  it('rolls back with the append', async () => {
    const { store } = await setup();
    await store.checkpoints.saveCheckpoint('p', 0n);
    store.onAppendTransaction(() => {
      throw new Error('read model refused');
    });
    await expect(store.append('s', [{ type: 'a', data: {} }])).rejects.toThrow('read model refused');
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(0n);
  });
}
