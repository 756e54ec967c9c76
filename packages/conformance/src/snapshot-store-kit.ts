import { type SnapshotStore, ValidationError } from '@strata/core';
import { afterEach, describe, expect } from 'vitest';
import { kitTest } from './kit-test.js';
import { uniqueStreamId } from './unique-names.js';

/** What the snapshot and checkpoint topics need: a store per test, and how to release it. */
export interface StoreKitOptions<S> {
  create: () => Promise<S>;
  /** Called after each test with the store it created (default: nothing). */
  dispose?: (store: S) => Promise<void>;
}

export function useStores<S>(options: StoreKitOptions<S>): () => Promise<S> {
  const opened: S[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await options.dispose?.(store);
  });
  return async () => {
    const store = await options.create();
    opened.push(store);
    return store;
  };
}

export async function validationPath(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.path;
    throw error;
  }
  return undefined;
}

/**
 * The `SnapshotStore` contract: the newest snapshot at or below a version, of a state shape when
 * asked, replaced per (stream, version), deleted by version; state round-trips exactly.
 */
export function describeSnapshotStore(name: string, options: StoreKitOptions<SnapshotStore>): void {
  describe(name, () => {
    const open = useStores(options);

    kitTest('loads the newest snapshot, at or below maxVersion, of the asked state version', async () => {
      const store = await open();
      const streamId = uniqueStreamId('snap');
      expect(await store.loadSnapshot(streamId)).toBeUndefined();
      await store.saveSnapshot({ streamId, version: 10, stateVersion: 1, state: { total: 10 } });
      await store.saveSnapshot({ streamId, version: 30, stateVersion: 2, state: { sum: 30 } });
      await store.saveSnapshot({ streamId, version: 20, stateVersion: 1, state: { total: 20 } });

      expect(await store.loadSnapshot(streamId)).toMatchObject({
        version: 30,
        stateVersion: 2,
        state: { sum: 30 },
      });
      expect(await store.loadSnapshot(streamId, { stateVersion: 1 })).toMatchObject({ version: 20 });
      expect(await store.loadSnapshot(streamId, { maxVersion: 25 })).toMatchObject({ version: 20 });
      expect(await store.loadSnapshot(streamId, { maxVersion: 9 })).toBeUndefined();
      expect(await store.loadSnapshot(streamId, { stateVersion: 3 })).toBeUndefined();
      // Both filters at once: the newest snapshot meeting both, not either.
      expect(await store.loadSnapshot(streamId, { stateVersion: 1, maxVersion: 15 })).toMatchObject({
        version: 10,
      });
      expect(await store.loadSnapshot(streamId, { stateVersion: 2, maxVersion: 25 })).toBeUndefined();
      expect(await store.loadSnapshot(uniqueStreamId('other'))).toBeUndefined();
    });

    kitTest('replaces the snapshot of the same version and keeps createdAt to the millisecond', async () => {
      const store = await open();
      const streamId = uniqueStreamId('snap');
      const createdAt = new Date('2026-03-04T05:06:07.089Z');
      await store.saveSnapshot({ streamId, version: 5, stateVersion: 1, state: { v: 'old' } });
      await store.saveSnapshot({ streamId, version: 5, stateVersion: 1, state: { v: 'new' }, createdAt });
      const loaded = await store.loadSnapshot(streamId);
      expect(loaded).toEqual({ streamId, version: 5, stateVersion: 1, state: { v: 'new' }, createdAt });
    });

    kitTest('round-trips state exactly', async () => {
      const store = await open();
      const streamId = uniqueStreamId('snap');
      const state = {
        text: 'ünï 🎉 "quoted" \\ back',
        list: [1, -2.5, null, true, ''],
        nested: { deep: [[{}]] },
      };
      await store.saveSnapshot({ streamId, version: 1, stateVersion: 1, state });
      expect((await store.loadSnapshot(streamId))?.state).toEqual(state);
    });

    kitTest('deletes snapshots below a version, or all, and says how many', async () => {
      const store = await open();
      const streamId = uniqueStreamId('snap');
      for (const version of [1, 2, 3, 4])
        await store.saveSnapshot({ streamId, version, stateVersion: 1, state: version });
      expect(await store.deleteSnapshots(streamId, { beforeVersion: 3 })).toBe(2);
      expect((await store.loadSnapshot(streamId, { maxVersion: 2 })) ?? null).toBeNull();
      expect(await store.deleteSnapshots(streamId)).toBe(2);
      expect(await store.loadSnapshot(streamId)).toBeUndefined();
      expect(await store.deleteSnapshots(uniqueStreamId('none'))).toBe(0);
    });

    kitTest("deleting one stream's snapshots leaves every other stream's", async () => {
      const store = await open();
      const [streamId, other] = [uniqueStreamId('snap'), uniqueStreamId('snap-other')];
      for (const version of [1, 2]) {
        await store.saveSnapshot({ streamId, version, stateVersion: 1, state: version });
        await store.saveSnapshot({ streamId: other, version, stateVersion: 1, state: version });
      }
      expect(await store.deleteSnapshots(streamId, { beforeVersion: 2 })).toBe(1);
      expect(await store.deleteSnapshots(streamId)).toBe(1);
      expect(await store.loadSnapshot(other, { maxVersion: 1 })).toMatchObject({
        streamId: other,
        version: 1,
      });
      expect(await store.loadSnapshot(other)).toMatchObject({ streamId: other, version: 2 });
    });

    kitTest('lists the streams that have snapshots, in pages that visit each one once', async () => {
      const store = await open();
      // Names that differ only by case, or sort differently by bytes and by locale, are different streams.
      const base = uniqueStreamId('list');
      const ours = [
        `${base}-a`,
        `${base}-A`,
        `${base}-b`,
        `${base}-B`,
        `${base}-é`,
        `${base}-z`,
        `${base}-_`,
      ];
      for (const [i, streamId] of ours.entries()) {
        await store.saveSnapshot({ streamId, version: 1, stateVersion: 1, state: i });
        await store.saveSnapshot({ streamId, version: 2, stateVersion: 1, state: i });
      }
      const gone = `${base}-gone`;
      await store.saveSnapshot({ streamId: gone, version: 3, stateVersion: 1, state: 0 });
      await store.deleteSnapshots(gone);
      const trimmed = `${base}-trimmed`;
      await store.saveSnapshot({ streamId: trimmed, version: 3, stateVersion: 1, state: 0 });
      await store.deleteSnapshots(trimmed, { beforeVersion: 4 });

      // The storage may hold other tests' streams: page through all of it, with a bound.
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; ; page++) {
        if (page > 10_000)
          throw new Error('listSnapshotStreams never ran out of pages: does `after` move on?');
        const ids = await store.listSnapshotStreams({ limit: 3, ...(after === undefined ? {} : { after }) });
        expect(ids.length).toBeLessThanOrEqual(3);
        if (ids.length === 0) break;
        seen.push(...ids);
        after = ids.at(-1);
      }
      expect(new Set(seen).size).toBe(seen.length);
      const listed = seen.filter((id) => id.startsWith(base));
      expect([...listed].sort()).toEqual([...ours].sort());
      expect(await store.listSnapshotStreams({ limit: 1 })).toHaveLength(1);
    });

    kitTest(
      'two writers saving the same stream and version at once both succeed, and one state wins whole',
      async () => {
        const store = await open();
        const streamId = uniqueStreamId('snap');
        const states = Array.from({ length: 8 }, (_, writer) => ({
          writer,
          items: Array.from({ length: 50 }, () => writer),
        }));
        await Promise.all(
          states.map((state) => store.saveSnapshot({ streamId, version: 7, stateVersion: 1, state })),
        );
        const loaded = await store.loadSnapshot(streamId);
        expect(loaded?.version).toBe(7);
        expect(states).toContainEqual(loaded?.state);
      },
    );

    kitTest('rejects bad input with a ValidationError and saves nothing', async () => {
      const store = await open();
      const streamId = uniqueStreamId('snap');
      const bad: Array<[() => Promise<unknown>, string]> = [
        [
          () => store.saveSnapshot({ streamId: '', version: 1, stateVersion: 1, state: {} }),
          'snapshot.streamId',
        ],
        [() => store.saveSnapshot({ streamId, version: -1, stateVersion: 1, state: {} }), 'snapshot.version'],
        [
          () => store.saveSnapshot({ streamId, version: 1, stateVersion: 0.5, state: {} }),
          'snapshot.stateVersion',
        ],
        [
          () => store.saveSnapshot({ streamId, version: 1, stateVersion: 1, state: { n: 1n } }),
          'snapshot.state.n',
        ],
        [() => store.loadSnapshot(streamId, { maxVersion: -1 }), 'options.maxVersion'],
        [() => store.deleteSnapshots(streamId, { beforeVersion: 1.5 }), 'options.beforeVersion'],
        [() => store.listSnapshotStreams({ limit: 0 }), 'options.limit'],
        [() => store.listSnapshotStreams({ after: '' }), 'options.after'],
      ];
      for (const [run, path] of bad) expect(await validationPath(run)).toBe(path);
      expect(await store.loadSnapshot(streamId)).toBeUndefined();
    });
  });
}
