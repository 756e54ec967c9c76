// The scenarios of `onAppendTransaction(hook, { advanceCheckpoint })`: the store moves the
// checkpoint inside its own append call and tells the hook in `checkpointAdvanced`, for every
// store that folds it (PostgreSQL, MariaDB). The engine brings a fresh store; the appends here go
// one at a time with an exact expected version, a path that folds on every such store.
import { afterEach, expect, it } from 'vitest';

export function describeFoldedCheckpointAdvance(openStore) {
  const cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A store whose hook asks for checkpoint 'p' over type 'a', recording what each append says. */
  async function setup(types = ['a']) {
    const { store: opened, close } = await openStore();
    cleanups.push(close);
    const store = withExactVersions(opened);
    const seen = [];
    store.onAppendTransaction(({ checkpointAdvanced }) => seen.push(checkpointAdvanced), {
      advanceCheckpoint: { name: 'p', types },
    });
    return { store, seen };
  }

  it('moves a checkpoint at the preceding event of its types to the last of them in the append, in the append call', async () => {
    const { store, seen } = await setup();
    await store.append('s', [{ type: 'a', data: {} }]); // 1
    await store.append('s', [{ type: 'b', data: {} }]); // 2: not of its types
    await store.checkpoints.saveCheckpoint('p', 1n);
    const { events } = await store.append('s', [
      { type: 'a', data: {} },
      { type: 'b', data: {} },
    ]); // 3, 4: moves to 3, the last 'a'
    expect(seen).toEqual([false, undefined, true]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(events[0].position);
    const { events: next } = await store.append('s', [{ type: 'a', data: {} }]);
    expect(seen.at(-1)).toBe(true);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(next[0].position);
  });

  it('writes nothing when the checkpoint is absent or elsewhere, and counts 0 as in place with nothing before', async () => {
    const { store, seen } = await setup();
    await store.append('s', [{ type: 'a', data: {} }]); // 1: absent
    expect(await store.checkpoints.loadCheckpoint('p')).toBeUndefined();
    await store.checkpoints.saveCheckpoint('p', 0n);
    await store.append('s', [{ type: 'a', data: {} }]); // 2: preceding 1, checkpoint 0
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(0n);
    expect(seen).toEqual([false, false]);

    const { store: fresh, seen: freshSeen } = await setup();
    await fresh.checkpoints.saveCheckpoint('p', 0n);
    const { events } = await fresh.append('t', [
      { type: 'b', data: {} },
      { type: 'a', data: {} },
    ]);
    expect(freshSeen).toEqual([true]);
    expect(await fresh.checkpoints.loadCheckpoint('p')).toBe(events[1].position);
  });

  it('checks every one of several types, and gives each requesting hook its own answer', async () => {
    const { store, seen } = await setup(['a', 'b']);
    const other = [];
    store.onAppendTransaction(({ checkpointAdvanced }) => other.push(checkpointAdvanced), {
      advanceCheckpoint: { name: 'q', types: ['c'] },
    });
    const plain = [];
    store.onAppendTransaction(({ checkpointAdvanced }) => plain.push(checkpointAdvanced));
    await store.checkpoints.saveCheckpoint('p', 0n);
    await store.checkpoints.saveCheckpoint('q', 0n);
    await store.append('s', [{ type: 'a', data: {} }]); // 1
    await store.append('s', [{ type: 'c', data: {} }]); // 2
    await store.checkpoints.saveCheckpoint('q', 5n, { expectedPosition: 2n }); // elsewhere
    const { events } = await store.append('s', [
      { type: 'c', data: {} },
      { type: 'b', data: {} },
    ]); // 3, 4
    expect(seen).toEqual([true, undefined, true]);
    expect(other).toEqual([undefined, true, false]);
    expect(plain).toEqual([undefined, undefined, undefined]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(events[1].position);
    expect(await store.checkpoints.loadCheckpoint('q')).toBe(5n);
  });

  it('rolls the move back with the append when a hook throws', async () => {
    const { store, seen } = await setup();
    await store.checkpoints.saveCheckpoint('p', 0n);
    const remove = store.onAppendTransaction(() => {
      throw new Error('read model refused');
    });
    await expect(store.append('s', [{ type: 'a', data: {} }])).rejects.toThrow('read model refused');
    expect(seen).toEqual([true]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(0n);
    remove();
    await store.append('s', [{ type: 'a', data: {} }]);
    expect(seen).toEqual([true, true]);
  });

  it('refuses a bad request when the hook is registered', async () => {
    const { store } = await openStore().then((opened) => {
      cleanups.push(opened.close);
      return opened;
    });
    expect(() =>
      store.onAppendTransaction(() => {}, { advanceCheckpoint: { name: 'p', types: [] } }),
    ).toThrow(/options\.advanceCheckpoint\.types/);
  });
}

/** The store, its `append` passing each stream's current version as the expected one. */
function withExactVersions(store) {
  const versions = new Map();
  return new Proxy(store, {
    get(target, key) {
      if (key !== 'append') {
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (streamId, events) => {
        const expectedVersion = versions.get(streamId) ?? 'no_stream';
        const result = await target.append(streamId, events, { expectedVersion });
        versions.set(streamId, result.lastVersion);
        return result;
      };
    },
  });
}
