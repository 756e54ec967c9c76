import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, ValidationError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlEventStore, migrate } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { freshPrefixes } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('migrate', () => {
  const fresh = freshPrefixes();

  it('two processes migrating the same prefix at once: one applies, the other finds it done', async () => {
    const tablePrefix = fresh();
    const pools = [createPool({ uri: MYSQL_URL }), createPool({ uri: MYSQL_URL })];
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, { tablePrefix })));
      expect(results.map((r) => r.applied).sort()).toEqual([[], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]);
      expect(await migrate(pools[0]!, { tablePrefix })).toEqual({ applied: [] });
      const store = createMysqlEventStore({ connection: pools[1]!, tablePrefix, migrate: false });
      await store.append('s', [{ type: 't', data: 1 }]);
      expect(await store.streamVersion('s')).toBe(1);
      await store.close();
    } finally {
      for (const pool of pools) await pool.end();
    }
  });

  it('stores opened at once on a new prefix all migrate on first use without harm', async () => {
    const tablePrefix = fresh();
    const stores = Array.from({ length: 4 }, () =>
      createMysqlEventStore({ connection: MYSQL_URL, tablePrefix, poolSize: 2 }),
    );
    try {
      const results = await Promise.all(
        stores.map((store, i) => store.append(`s-${i}`, [{ type: 't', data: i }])),
      );
      expect(results.map((r) => r.lastVersion)).toEqual([1, 1, 1, 1]);
      expect(new Set(results.map((r) => r.lastPosition)).size).toBe(4);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('with migrate: false, a store on missing tables fails with StoreUnavailableError until migrate() runs', async () => {
    const tablePrefix = fresh();
    const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix, migrate: false });
    try {
      const error = await store.append('s', [{ type: 't', data: 1 }]).catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/migrate/);
      expect((await store.migrate()).applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(await store.append('s', [{ type: 't', data: 1 }])).toMatchObject({ lastVersion: 1 });
    } finally {
      await store.close();
    }
  });

  it('partitions are fixed at creation: KEY partitioning is applied, and a different count is refused', async () => {
    const tablePrefix = fresh();
    const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix, partitions: 3 });
    const other = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix, partitions: 5 });
    const plain = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix });
    try {
      await store.append('s', [{ type: 't', data: 1 }]);
      const [rows] = await store.pool.execute(
        {
          sql: `SELECT PARTITION_METHOD, PARTITION_EXPRESSION, COUNT(*) FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? GROUP BY PARTITION_METHOD, PARTITION_EXPRESSION`,
          rowsAsArray: true,
        },
        [`${tablePrefix}events`],
      );
      expect(rows).toEqual([['KEY', '`stream_id`', 3]]);
      const error = await other.readAll().catch((e: unknown) => e);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      // Without the option, a store accepts the tables as they are.
      expect(await plain.streamVersion('s')).toBe(1);
    } finally {
      for (const s of [store, other, plain]) await s.close();
    }
  });

  it('single-event appends work the same without the stored procedures (migrations 2, 8, 9 and 10 skipped)', async () => {
    const tablePrefix = fresh();
    const first = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix });
    await first.migrate();
    await first.pool.query({ sql: `DROP PROCEDURE \`${tablePrefix}append_one\`` });
    await first.pool.query({ sql: `DROP PROCEDURE \`${tablePrefix}append_single\`` });
    await first.pool.query({ sql: `DROP PROCEDURE \`${tablePrefix}append_batch\`` });
    await first.pool.query({ sql: `DROP PROCEDURE \`${tablePrefix}append_single_advancing\`` });
    await first.pool.query({ sql: `DROP PROCEDURE \`${tablePrefix}append_batch_advancing\`` });
    await first.close();
    const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix });
    try {
      const streamId = `s-${randomUUID()}`;
      await store.append(streamId, [{ type: 't', data: 1 }], { expectedVersion: 'no_stream' });
      expect(await store.append(streamId, [{ type: 't', data: 2 }], { expectedVersion: 1 })).toMatchObject({
        firstVersion: 2,
      });
      const error = await store
        .append(streamId, [{ type: 't', data: 3 }], { expectedVersion: 1 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STRATA_CONCURRENCY', actualVersion: 2 });
      expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });

  it('makes the storage id once per prefix: every store over it reports it, a rerun keeps it', async () => {
    const [a, b] = [fresh(), fresh()];
    const stores = [a, a, b].map((tablePrefix) =>
      createMysqlEventStore({ connection: MYSQL_URL, tablePrefix }),
    );
    try {
      const [one, two, other] = await Promise.all(stores.map((store) => store.storageId()));
      expect(one).toMatch(/^[0-9a-f]{32}$/);
      expect(two).toBe(one);
      expect(other).not.toBe(one);
      // Migration 3 cut off after its insert and run again (with the later ones): the first id
      // stays, still one row.
      await stores[0]!.pool.query({ sql: `DELETE FROM \`${a}migrations\` WHERE version >= 3` });
      expect((await migrate(stores[0]!.pool, { tablePrefix: a })).applied).toEqual([
        3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
      const reopened = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: a });
      expect(await reopened.storageId()).toBe(one);
      await reopened.close();
      const [rows] = await stores[0]!.pool.query({ sql: `SELECT count(*) AS n FROM \`${a}storage\`` });
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('adds checkpoint fences to tables made before them, keeps their checkpoints, and can run again', async () => {
    const prefix = fresh();
    const old = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix });
    try {
      await old.checkpoints.saveCheckpoint('orders', 2n ** 62n);
      await old.pool.query({ sql: `ALTER TABLE \`${prefix}checkpoints\` DROP COLUMN fence` });
      await old.pool.query({ sql: `DELETE FROM \`${prefix}migrations\` WHERE version >= 4` });
      expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
      // Cut off after the ALTER, before it was recorded: the rerun finds the column and goes on.
      await old.pool.query({ sql: `DELETE FROM \`${prefix}migrations\` WHERE version >= 4` });
      expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
      const upgraded = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, migrate: false });
      try {
        const { checkpoints } = upgraded;
        expect(await checkpoints.loadCheckpointState('orders')).toEqual({ position: 2n ** 62n, fence: null });
        await checkpoints.saveCheckpoint('orders', 1n, { expectedPosition: 2n ** 62n, fence: 7n });
        expect(await checkpoints.loadCheckpointState('orders')).toEqual({ position: 1n, fence: 7n });
      } finally {
        await upgraded.close();
      }
    } finally {
      await old.close();
    }
  });

  it('adds the data-key table to tables at the lease-fences layout, keeping their dead letters', async () => {
    const prefix = fresh();
    const old = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix });
    try {
      await old.deadLetters.addDeadLetter({
        projector: 'list',
        position: 1n,
        eventId: 'e',
        streamId: 's',
        version: 1,
        eventType: 't',
        error: { name: 'Error', message: 'boom', stack: null },
        attempts: 1,
      });
      await old.pool.query({ sql: `DROP TABLE \`${prefix}data_keys\`` });
      await old.pool.query({ sql: `DELETE FROM \`${prefix}migrations\` WHERE version >= 7` });
      expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([7, 8, 9, 10, 11]);
      expect(await old.deadLetters.countDeadLetters('list')).toBe(1);
      const key = { subjectId: 'user-1', version: 1, keyId: 'k1', masterKeyId: 'm1', wrappedKey: 'AAAA' };
      expect(await old.keys.createKey(key)).toEqual(key);
    } finally {
      await old.close();
    }
  });

  it('never touches tables of another prefix', async () => {
    const [a, b] = [fresh(), fresh()];
    const storeA = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: a });
    const storeB = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: b });
    try {
      const streamId = `s-${randomUUID()}`;
      await storeA.append(streamId, [{ type: 't', data: 'a' }]);
      expect(await storeB.readStream(streamId)).toEqual([]);
      expect(await storeB.readAll()).toEqual([]);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
