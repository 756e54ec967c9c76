// The in-process exactly-once scenarios every SQL engine runs for projections (store-sqlite,
// store-postgres, store-mysql): runners that commit read-model writes with their checkpoint, and a
// realtime projector inside the append's transaction. The engine gives its setup (two store
// instances over one storage and a read model of totals per stream beside the events); the
// scenarios are written once. Each registrar adds its tests to the enclosing `describe`, so an
// engine runs exactly the groups it supports.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };

/** A new `counted` event adding `by` to its stream's total. */
export const counted = (by) => ({ type: 'counted', data: { by } });

/** The totals per stream the read model must hold: a fold of the log's `counted` events. */
export async function foldCounted(store) {
  const totals = new Map();
  for (const event of await store.readAll({ types: ['counted'] })) {
    totals.set(event.streamId, (totals.get(event.streamId) ?? 0) + event.data.by);
  }
  return totals;
}

/**
 * Runs the steps in turn. It stays synchronous while every step is, so the same projector serves
 * SQLite (whose handlers must be synchronous) and the engines whose handlers await their queries.
 */
function inTurn(steps) {
  for (let i = 0; i < steps.length; i++) {
    const result = steps[i]();
    if (typeof result?.then === 'function') return result.then(() => inTurn(steps.slice(i + 1)));
  }
  return undefined;
}

export function projectionExactlyOnceScenarios({ CheckpointConflictError, projections, setup }) {
  const { attachRealtimeProjector, defineProjector, ProjectionRunner } = projections;

  /** The `totals` projector: applies each `counted` event through `apply`, in the batch's transaction. */
  function counter(apply, options = {}) {
    return defineProjector({
      name: 'totals',
      handlers: {
        counted: ({ by }, event, tx) =>
          inTurn([
            () => options.before?.(),
            () => apply(tx, event, by),
            () => options.after?.(),
            () => {
              if (options.fail?.(by)) throw new Error(`cannot count ${by}`);
            },
          ]),
      },
    });
  }

  function runnerRace({ events, batchSize, pauseMs }) {
    it('two runners racing over one checkpoint never apply an event twice', async () => {
      const { store, peer, readModel, apply, close } = await setup();
      for (let i = 1; i <= events; i++) await store.append(`s-${i % 4}`, [counted(i)]);
      const conflicts = [];
      const runnerOn = (on) =>
        new ProjectionRunner({
          store: on,
          checkpoints: on.checkpoints,
          transactions: on.checkpoints,
          projector: counter(apply, { before: pauseMs === undefined ? undefined : () => sleep(pauseMs) }),
          batchSize,
          retry: fast,
          onError: (error) => {
            if (CheckpointConflictError.isInstance(error)) conflicts.push(error);
          },
        });
      await Promise.all([runnerOn(store).catchUp(), runnerOn(peer).catchUp()]);
      // They did race (each lost some saves), and every loss rolled its writes back.
      expect(conflicts.length).toBeGreaterThan(0);
      expect(await readModel()).toEqual({ totals: await foldCounted(store), doubles: 0 });
      await close?.();
    });
  }

  function behindAfterAWriterWithoutIt() {
    it('is behind after a writer without it, skips nothing, and is live again once the catch-up ran', async () => {
      const { store, peer, readModel, apply, close } = await setup();
      const projector = counter(apply);
      const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
      await store.append('a', [counted(1)]);
      await peer.append('a', [counted(10)]); // no realtime projector there
      await store.append('a', [counted(100)]);
      expect(realtime.status().state).toBe('behind');
      expect((await readModel()).totals.get('a')).toBe(1); // 100 was not applied past the unseen 10
      await new ProjectionRunner({
        store,
        checkpoints: store.checkpoints,
        transactions: store.checkpoints,
        projector,
        retry: fast,
      }).catchUp();
      expect((await readModel()).totals.get('a')).toBe(111);
      await store.append('a', [counted(1000)]);
      expect(realtime.status().state).toBe('live');
      expect(await readModel()).toEqual({ totals: new Map([['a', 1111]]), doubles: 0 });
      await close?.();
    });
  }

  /** Scenarios whose handlers await (their queries, or a gate): engines with asynchronous transactions. */
  function asyncHandlers() {
    it('runInTransaction commits work and checkpoint together or neither; hooks know the position before', async () => {
      const { store, readModel, apply, close } = await setup();
      const [first] = (await store.append('x', [counted(1)])).events;
      await store.checkpoints.runInTransaction(async (tx) => {
        await apply(tx, first, 1);
        await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 5n, { expectedPosition: null });
        expect(await store.checkpoints.loadCheckpointInTransaction(tx, 'p')).toBe(5n);
      });
      const failure = new Error('read model refused it');
      await expect(
        store.checkpoints.runInTransaction(async (tx) => {
          await apply(tx, first, 1);
          await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 9n, { expectedPosition: 5n });
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        store.checkpoints.runInTransaction(async (tx) => {
          await apply(tx, first, 1);
          await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 9n, { expectedPosition: 4n });
        }),
      ).rejects.toSatisfy(CheckpointConflictError.isInstance);
      expect(await readModel()).toEqual({ totals: new Map([['x', 1]]), doubles: 0 });
      expect(await store.checkpoints.loadCheckpoint('p')).toBe(5n);

      const seen = [];
      store.onAppendTransaction(async ({ events, precedingPosition }) => {
        seen.push([
          events[0].position,
          await precedingPosition(),
          await precedingPosition(['counted', 'none']),
        ]);
      });
      const other = await store.append('y', [{ type: 'other', data: {} }]);
      const next = await store.append('y', [counted(2)]);
      expect(seen).toEqual([
        [other.lastPosition, first.position, first.position],
        [next.lastPosition, other.lastPosition, first.position],
      ]);
      await close?.();
    });

    it('a handler throwing mid-batch leaves the read model and the checkpoint as they were', async () => {
      const { store, readModel, apply, close } = await setup();
      for (let i = 1; i <= 10; i++) await store.append(`s-${i % 3}`, [counted(i)]);
      let failOnce = true;
      let checked;
      const projector = counter(apply, {
        fail: (by) => by === 6 && failOnce,
        // The retry waits until the state after the failure has been looked at.
        before: async () => void (await checked),
      });
      const runner = new ProjectionRunner({
        store,
        checkpoints: store.checkpoints,
        transactions: store.checkpoints,
        projector,
        batchSize: 10,
        retry: { ...fast, maxAttempts: 2 },
        onError: () => {
          failOnce = false;
          checked = Promise.all([readModel(), store.checkpoints.loadCheckpoint('totals')]);
        },
      });
      await runner.catchUp();
      // Events 1 to 5 were written in the same transaction before 6 threw: all rolled back.
      expect(await checked).toEqual([{ totals: new Map(), doubles: 0 }, undefined]);
      expect(await readModel()).toEqual({ totals: await foldCounted(store), doubles: 0 });
      expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1).position);
      await close?.();
    });

    it("a throwing realtime handler rolls its append back and the append rejects with the handler's error", async () => {
      const { store, readModel, apply, close } = await setup();
      const errors = [];
      const realtime = attachRealtimeProjector({
        store,
        checkpoints: store.checkpoints,
        projector: counter(apply, { fail: (by) => by === 13 }),
        onError: (error) => errors.push(error),
      });
      // Grouped with a good append in one transaction: only the bad one fails.
      const [good, bad] = await Promise.allSettled([
        store.append('good', [counted(1)]),
        store.append('bad', [counted(2), counted(13)]),
      ]);
      expect(good.status).toBe('fulfilled');
      expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'cannot count 13' } });
      expect(errors).toHaveLength(1);
      expect(await store.streamVersion('bad')).toBe(0);
      expect(await readModel()).toEqual({ totals: new Map([['good', 1]]), doubles: 0 });
      const last = (await store.readAll()).at(-1).position;
      expect(await store.checkpoints.loadCheckpoint('totals')).toBe(last);
      expect(realtime.status()).toMatchObject({ state: 'live', checkpoint: last });
      await close?.();
    });

    it('under concurrent appends from two stores, the checkpoint follows commit order and the read model the log', async () => {
      const { store, peer, readModel, apply, close } = await setup();
      const projector = counter(apply);
      const one = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
      const two = attachRealtimeProjector({ store: peer, checkpoints: peer.checkpoints, projector });
      // A runner beside them: its conflicts roll back, it never double-applies.
      const runner = new ProjectionRunner({
        store,
        checkpoints: store.checkpoints,
        transactions: store.checkpoints,
        projector,
        retry: fast,
        polling: { minMs: 1, maxMs: 5 },
      });
      runner.start();
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? store : peer).append(`s-${i % 5}`, [counted(i)])),
      );
      await runner.stop();
      expect(await readModel()).toEqual({ totals: await foldCounted(store), doubles: 0 });
      expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1).position);
      expect([one.status().state, two.status().state]).toEqual(['live', 'live']);
      expect(runner.status().state).toBe('stopped');
      await close?.();
    });
  }

  function runnerRereadingRealtime() {
    it('a runner that re-reads what the realtime projector applied writes nothing, and the append goes through', async () => {
      const { store, readModel, apply, close } = await setup();
      attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector: counter(apply) });
      await store.append('hot', [counted(1)]);
      const gate = () => {
        let open = () => {};
        const opened = new Promise((resolve) => {
          open = resolve;
        });
        return { opened, open };
      };
      const readStarted = gate();
      const readMay = gate();
      const handlerMay = gate();
      const runnerWrote = gate();
      // The runner loads its checkpoint (after event 1), then its read waits until a realtime append
      // has moved it (to event 2): the runner then applies event 2 again, in a transaction of its own.
      // Its read starts with lastPosition() when the store has it: held too, or the runner would see
      // the head at its checkpoint and never read.
      const lateReader = new Proxy(store, {
        get(target, property, receiver) {
          if (property !== 'readAll' && property !== 'lastPosition')
            return Reflect.get(target, property, receiver);
          const read = Reflect.get(target, property, receiver);
          if (typeof read !== 'function') return read;
          return async (...args) => {
            readStarted.open();
            await readMay.opened;
            return read.apply(target, args);
          };
        },
      });
      const runner = new ProjectionRunner({
        store: lateReader,
        checkpoints: store.checkpoints,
        transactions: store.checkpoints,
        projector: counter(apply, {
          after: async () => {
            runnerWrote.open();
            await handlerMay.opened;
          },
        }),
        retry: fast,
      });
      const caughtUp = runner.catchUp();
      await readStarted.opened;
      await store.append('hot', [counted(2)]);
      readMay.open();
      // The runner finds that the checkpoint moved (before writing, or at its save if it wrote first):
      // it rolls back either way, while this append writes the same row.
      await Promise.race([runnerWrote.opened, caughtUp]);
      const second = store.append('hot', [counted(4)]);
      await sleep(200);
      handlerMay.open();
      await expect(second).resolves.toBeDefined();
      await caughtUp;
      expect(await readModel()).toEqual({ totals: new Map([['hot', 7]]), doubles: 0 });
      await close?.();
    });
  }

  return { counter, runnerRace, behindAfterAWriterWithoutIt, asyncHandlers, runnerRereadingRealtime };
}
