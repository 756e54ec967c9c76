import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointConflictError, type EventStore, type RecordedEvent } from '@strata/core';
import { attachRealtimeProjector, defineProjector, ProjectionRunner } from '@strata/projections';
import { createConnection } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, type MysqlQueryable } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix } from './mysql-test-server.js';

const reachable = await mysqlReachable();
const fast = { baseDelayMs: 0, maxDelayMs: 0 };
type Counted = { type: 'counted'; data: { by: number } };
const counted = (by: number) => ({ type: 'counted', data: { by } });

describe.skipIf(!reachable)(
  'projections on MySQL/MariaDB: exactly-once runners and realtime in the append',
  () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    /**
     * Tables of their own with two store instances (two pools, as two processes would have), and a
     * read model beside the events: totals per stream, and one row per application of an event.
     */
    async function setup() {
      const prefix = randomPrefix();
      const open = () => createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 4 });
      const store: MysqlEventStore = open();
      await store.migrate();
      const peer: MysqlEventStore = open();
      const admin = await createConnection({ uri: MYSQL_URL });
      const totals = `\`${prefix}totals\``;
      const applied = `\`${prefix}applied\``;
      cleanups.push(async () => {
        await store.close();
        await peer.close();
        await admin.query(`DROP TABLE IF EXISTS ${totals}, ${applied}`);
        await admin.end();
        await dropTables(prefix);
      });
      await admin.query(`CREATE TABLE ${totals} (stream_id VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL)`);
      await admin.query(`CREATE TABLE ${applied} (event_id VARCHAR(100) NOT NULL)`);
      const readModel = async () => {
        const [rows] = await admin.query(`SELECT stream_id, CAST(total AS SIGNED) AS total FROM ${totals}`);
        const [[doubles]] = (await admin.query(
          `SELECT CAST(count(*) - count(DISTINCT event_id) AS SIGNED) AS n FROM ${applied}`,
        )) as unknown as [[{ n: number }]];
        return {
          totals: new Map(
            (rows as { stream_id: string; total: number }[]).map((row) => [row.stream_id, Number(row.total)]),
          ),
          doubles: Number(doubles.n),
        };
      };
      const apply = async (tx: MysqlQueryable, event: RecordedEvent, by: number) => {
        await tx.execute(
          {
            sql: `INSERT INTO ${totals} (stream_id, total) VALUES (?, ?)
                ON DUPLICATE KEY UPDATE total = total + VALUES(total)`,
          },
          [event.streamId, by],
        );
        await tx.execute({ sql: `INSERT INTO ${applied} (event_id) VALUES (?)` }, [event.id]);
      };
      return { store, peer, readModel, apply };
    }

    function counter(
      apply: (tx: MysqlQueryable, event: RecordedEvent, by: number) => Promise<void>,
      options: { fail?: (by: number) => boolean; before?: () => Promise<void> } = {},
    ) {
      return defineProjector<Counted, MysqlQueryable>({
        name: 'totals',
        handlers: {
          counted: async ({ by }, event, tx) => {
            await options.before?.();
            await apply(tx, event, by);
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
      expect(await checked).toEqual([{ totals: new Map(), doubles: 0 }, undefined]);
      expect(await readModel()).toEqual({ totals: await fold(store), doubles: 0 });
      expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
    });

    it('two runners racing over one checkpoint never apply an event twice', async () => {
      const { store, peer, readModel, apply } = await setup();
      for (let i = 1; i <= 40; i++) await store.append(`s-${i % 4}`, [counted(i)]);
      const conflicts: unknown[] = [];
      const runnerOn = (on: MysqlEventStore) =>
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
      await new ProjectionRunner({
        store,
        checkpoints: store.checkpoints,
        transactions: store.checkpoints,
        projector,
        retry: fast,
      }).catchUp();
      await store.append('a', [counted(1000)]);
      expect(realtime.status().state).toBe('live');
      expect(await readModel()).toEqual({ totals: new Map([['a', 1111]]), doubles: 0 });
    });

    it('under concurrent appends from two stores, the checkpoint follows commit order and the read model the log', async () => {
      const { store, peer, readModel, apply } = await setup();
      const projector = counter(apply);
      const one = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
      const two = attachRealtimeProjector({ store: peer, checkpoints: peer.checkpoints, projector });
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
  },
);
