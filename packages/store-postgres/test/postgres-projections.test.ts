import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointConflictError, type EventStore, type RecordedEvent } from '@strata/core';
import { attachRealtimeProjector, defineProjector, ProjectionRunner } from '@strata/projections';
import type pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { PostgresClient, PostgresEventStore } from '../src/index.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };
type Counted = { type: 'counted'; data: { by: number } };
const counted = (by: number) => ({ type: 'counted', data: { by } });

describePostgres('projections on PostgreSQL: exactly-once runners and realtime in the append', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /**
   * A schema of its own with two store instances (two pools, as two processes would have), and a
   * read model beside the events: totals per stream, and one row per application of an event.
   */
  async function setup() {
    const schema = randomSchema();
    const admin: pg.Pool = adminPool();
    const store: PostgresEventStore = await openStore(schema);
    const peer: PostgresEventStore = await openStore(schema, { migrate: false });
    cleanups.push(async () => {
      await store.close();
      await peer.close();
      await dropSchema(admin, schema);
      await admin.end();
    });
    const totalsTable = `"${schema}".totals`;
    const appliedTable = `"${schema}".applied`;
    await admin.query(`CREATE TABLE ${totalsTable} (stream_id text PRIMARY KEY, total bigint NOT NULL)`);
    await admin.query(`CREATE TABLE ${appliedTable} (event_id text NOT NULL)`);
    const readModel = async () => {
      const { rows } = await admin.query(`SELECT stream_id, total::int AS total FROM ${totalsTable}`);
      const doubles = await admin.query(
        `SELECT (count(*) - count(DISTINCT event_id))::int AS n FROM ${appliedTable}`,
      );
      return {
        totals: new Map(rows.map((row: { stream_id: string; total: number }) => [row.stream_id, row.total])),
        doubles: doubles.rows[0].n as number,
      };
    };
    const apply = async (tx: PostgresClient, event: RecordedEvent, by: number) => {
      await tx.query(
        `INSERT INTO ${totalsTable} (stream_id, total) VALUES ($1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET total = ${totalsTable}.total + excluded.total`,
        [event.streamId, by],
      );
      await tx.query(`INSERT INTO ${appliedTable} (event_id) VALUES ($1)`, [event.id]);
    };
    return { store, peer, readModel, apply };
  }

  function counter(
    apply: (tx: PostgresClient, event: RecordedEvent, by: number) => Promise<void>,
    options: {
      fail?: (by: number) => boolean;
      before?: () => Promise<void>;
      after?: () => Promise<void>;
    } = {},
  ) {
    return defineProjector<Counted, PostgresClient>({
      name: 'totals',
      handlers: {
        counted: async ({ by }, event, tx) => {
          await options.before?.();
          await apply(tx, event, by);
          await options.after?.();
          if (options.fail?.(by)) throw new Error(`cannot count ${by}`);
        },
      },
    });
  }

  async function fold(store: EventStore): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const event of await store.readAll({ types: ['counted'] })) {
      totals.set(event.streamId, (totals.get(event.streamId) ?? 0) + (event.data as { by: number }).by);
    }
    return totals;
  }

  it('runInTransaction commits work and checkpoint together or neither; hooks know the position before', async () => {
    const { store, readModel, apply } = await setup();
    const [first] = (await store.append('x', [counted(1)])).events!;
    await store.checkpoints.runInTransaction(async (tx) => {
      await apply(tx, first!, 1);
      await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 5n, { expectedPosition: null });
      expect(await store.checkpoints.loadCheckpointInTransaction(tx, 'p')).toBe(5n);
    });
    const failure = new Error('read model refused it');
    await expect(
      store.checkpoints.runInTransaction(async (tx) => {
        await apply(tx, first!, 1);
        await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 9n, { expectedPosition: 5n });
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      store.checkpoints.runInTransaction(async (tx) => {
        await apply(tx, first!, 1);
        await store.checkpoints.saveCheckpointInTransaction(tx, 'p', 9n, { expectedPosition: 4n });
      }),
    ).rejects.toSatisfy(CheckpointConflictError.isInstance);
    expect(await readModel()).toEqual({ totals: new Map([['x', 1]]), doubles: 0 });
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(5n);

    const seen: bigint[][] = [];
    store.onAppendTransaction(async ({ events, precedingPosition }) => {
      seen.push([
        events[0]!.position,
        await precedingPosition(),
        await precedingPosition(['counted', 'none']),
      ]);
    });
    const other = await store.append('y', [{ type: 'other', data: {} }]);
    const next = await store.append('y', [counted(2)]);
    expect(seen).toEqual([
      [other.lastPosition, first!.position, first!.position],
      [next.lastPosition, other.lastPosition, first!.position],
    ]);
  });

  it('a handler throwing mid-batch leaves the read model and the checkpoint as they were', async () => {
    const { store, readModel, apply } = await setup();
    for (let i = 1; i <= 10; i++) await store.append(`s-${i % 3}`, [counted(i)]);
    let failOnce = true;
    let checked: Promise<unknown> | undefined;
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
    expect(await readModel()).toEqual({ totals: await fold(store), doubles: 0 });
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
  });

  it('two runners racing over one checkpoint never apply an event twice', async () => {
    const { store, peer, readModel, apply } = await setup();
    for (let i = 1; i <= 40; i++) await store.append(`s-${i % 4}`, [counted(i)]);
    const conflicts: unknown[] = [];
    const runnerOn = (on: PostgresEventStore) =>
      new ProjectionRunner({
        store: on,
        checkpoints: on.checkpoints,
        transactions: on.checkpoints,
        projector: counter(apply, { before: () => sleep(1) }),
        batchSize: 4,
        retry: fast,
        onError: (error) => {
          if (CheckpointConflictError.isInstance(error)) conflicts.push(error);
        },
      });
    await Promise.all([runnerOn(store).catchUp(), runnerOn(peer).catchUp()]);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(await readModel()).toEqual({ totals: await fold(store), doubles: 0 });
  });

  it("a throwing realtime handler rolls its append back and the append rejects with the handler's error", async () => {
    const { store, readModel, apply } = await setup();
    const errors: unknown[] = [];
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
    const last = (await store.readAll()).at(-1)!.position;
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe(last);
    expect(realtime.status()).toMatchObject({ state: 'live', checkpoint: last });
  });

  it('is behind after a writer without it, skips nothing, and is live again once the catch-up ran', async () => {
    const { store, peer, readModel, apply } = await setup();
    const projector = counter(apply);
    const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
    await store.append('a', [counted(1)]);
    await peer.append('a', [counted(10)]);
    await store.append('a', [counted(100)]);
    expect(realtime.status().state).toBe('behind');
    expect((await readModel()).totals.get('a')).toBe(1);
    const runner = new ProjectionRunner({
      store,
      checkpoints: store.checkpoints,
      transactions: store.checkpoints,
      projector,
      retry: fast,
    });
    await runner.catchUp();
    await store.append('a', [counted(1000)]);
    expect(realtime.status().state).toBe('live');
    expect(await readModel()).toEqual({ totals: new Map([['a', 1111]]), doubles: 0 });
  });

  it('a runner that re-reads what the realtime projector applied writes nothing, and the append goes through', async () => {
    const { store, readModel, apply } = await setup();
    attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector: counter(apply) });
    await store.append('hot', [counted(1)]);
    const gate = () => {
      let open: () => void = () => {};
      const opened = new Promise<void>((resolve) => {
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
    const lateReader = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'readAll') return Reflect.get(target, property, receiver);
        return async (options?: Parameters<PostgresEventStore['readAll']>[0]) => {
          readStarted.open();
          await readMay.opened;
          return target.readAll(options);
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
  });

  it('under concurrent appends from two stores, the checkpoint follows commit order and the read model the log', async () => {
    const { store, peer, readModel, apply } = await setup();
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
    expect(await readModel()).toEqual({ totals: await fold(store), doubles: 0 });
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
    expect([one.status().state, two.status().state]).toEqual(['live', 'live']);
    expect(runner.status().state).toBe('stopped');
  });
});
