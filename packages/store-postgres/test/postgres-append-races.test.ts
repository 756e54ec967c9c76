import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuplicateEventError } from '@strata/core';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresEventStore } from '../src/index.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

/**
 * Two processes sending the same event ids at the same moment. An admin session holds the position
 * lock so both appends pass their checks before either inserts: the second insert then hits the
 * unique key, and the store must answer as if the two had run one after the other.
 */
for (const partitions of [undefined, 2]) {
  const layout = partitions === undefined ? 'one events table' : `${partitions} hash partitions`;
  describePostgres(`races on event ids between two store instances (${layout})`, () => {
    const schema = randomSchema();
    let admin: pg.Pool;
    let one: PostgresEventStore;
    let two: PostgresEventStore;

    beforeAll(async () => {
      admin = adminPool();
      one = await openStore(schema, { partitions });
      two = await openStore(schema, { partitions });
    });

    afterAll(async () => {
      await one?.close();
      await two?.close();
      await dropSchema(admin, schema);
      await admin.end();
    });

    /** Runs both appends while the position lock is held, then releases it. */
    async function race<T>(
      first: () => Promise<T>,
      second: () => Promise<T>,
    ): Promise<PromiseSettledResult<T>[]> {
      const holder = await admin.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1)', [
          tableNames(schema).positionLockKey.toString(),
        ]);
        const racing = Promise.allSettled([first(), second()]);
        await waitForAppends(2);
        await holder.query('COMMIT');
        return await racing;
      } finally {
        holder.release();
      }
    }

    async function waitForAppends(count: number): Promise<void> {
      for (let i = 0; i < 400; i++) {
        const { rows } = await admin.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'`,
          [`%"${schema}"."strata_append"%`],
        );
        if (rows[0].n >= count) return;
        await sleep(10);
      }
      throw new Error(`${count} appends never reached the server`);
    }

    it("the same batch sent to one stream by both with 'any' is written once; both get its result", async () => {
      const streamId = `race-same-${randomUUID()}`;
      const events = [
        { id: randomUUID(), type: 'race', data: 1 },
        { id: randomUUID(), type: 'race', data: 2 },
      ];
      const outcomes = await race(
        () => one.append(streamId, events),
        () => two.append(streamId, events),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
      const [a, b] = outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
      expect(a).toEqual(b);
      expect((await one.readStream(streamId)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('the same ids sent to two streams: one write, the other is a DuplicateEventError', async () => {
      const events = [{ id: randomUUID(), type: 'race', data: 1 }];
      const streams = [`race-a-${randomUUID()}`, `race-b-${randomUUID()}`];
      const outcomes = await race(
        () => one.append(streams[0]!, events),
        () => two.append(streams[1]!, events),
      );
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(DuplicateEventError.isInstance(rejected[0]!.reason), String(rejected[0]!.reason)).toBe(true);
      const versions = await Promise.all(streams.map((s) => one.streamVersion(s)));
      expect(versions.sort()).toEqual([0, 1]);
    });
  });
}
