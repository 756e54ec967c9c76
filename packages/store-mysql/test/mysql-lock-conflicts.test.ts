import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, StoreUnavailableError } from '@strata/core';
import { createPool, type Pool } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { tableNames } from '../src/mysql-table-names.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)(
  'deadlocks and lock wait timeouts never reach the caller as driver errors',
  () => {
    const tables = useTestTables();
    const t = tableNames(tables.prefix);
    let pools: Pool[] = [];
    afterEach(async () => {
      for (const pool of pools) await pool.end();
      pools = [];
    });

    /** A pool the test owns whose connections give up on a lock after one second. */
    function impatientPool(): Pool {
      const pool = createPool({ uri: MYSQL_URL, connectionLimit: 2 });
      pool.pool.on('connection', (connection) => {
        connection.query('SET SESSION innodb_lock_wait_timeout = 1');
      });
      pools.push(pool);
      return pool;
    }

    it('a deadlock victim is retried and the append succeeds', async () => {
      const store = tables.open();
      const streamId = `deadlock-${randomUUID()}`;
      await store.append(streamId, [{ type: 'lock.test', data: 1 }]);
      const other = await tables.raw();
      await other.query('START TRANSACTION');
      // Weight: InnoDB rolls back the transaction that did less work, so the store's is the victim.
      for (let i = 0; i < 30; i++) {
        await other.execute(`INSERT INTO ${t.checkpoints} (name, position, updated_at) VALUES (?, 0, 0)`, [
          `weight-${randomUUID()}`,
        ]);
      }
      await other.query(`UPDATE ${t.sequence} SET position = position WHERE id = 1`);
      // The append locks its stream row, then waits for the sequence row held above.
      const append = store.append(streamId, [{ type: 'lock.test', data: 2 }]);
      await sleep(300);
      // Now the other transaction wants the stream row: a cycle, and InnoDB breaks it.
      await other.execute(`SELECT version FROM ${t.streams} WHERE stream_id = ? FOR UPDATE`, [streamId]);
      await other.query('ROLLBACK');
      expect(await append).toMatchObject({ firstVersion: 2, lastVersion: 2 });
      expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([1, 2]);
    });

    it('a lock wait timeout is retried once, and the append succeeds when the lock is released', async () => {
      const store = tables.open({ connection: impatientPool() });
      const streamId = `lockwait-${randomUUID()}`;
      await store.append(streamId, [{ type: 'lock.test', data: 1 }]);
      const other = await tables.raw();
      await other.query('START TRANSACTION');
      await other.execute(`SELECT version FROM ${t.streams} WHERE stream_id = ? FOR UPDATE`, [streamId]);
      const append = store.append(streamId, [{ type: 'lock.test', data: 2 }], { expectedVersion: 1 });
      await sleep(1500);
      await other.query('ROLLBACK');
      expect(await append).toMatchObject({ firstVersion: 2, lastVersion: 2 });
    });

    it('a lock held past the retry is StoreUnavailableError, not a conflict, and nothing is written', async () => {
      const store = tables.open({ connection: impatientPool() });
      const streamId = `lockwait-long-${randomUUID()}`;
      await store.append(streamId, [{ type: 'lock.test', data: 1 }]);
      const other = await tables.raw();
      await other.query('START TRANSACTION');
      await other.execute(`SELECT version FROM ${t.streams} WHERE stream_id = ? FOR UPDATE`, [streamId]);
      const error = await store
        .append(streamId, [{ type: 'lock.test', data: 2 }], { expectedVersion: 1 })
        .catch((e: unknown) => e);
      await other.query('ROLLBACK');
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).cause).toMatchObject({ errno: 1205 });
      expect(await store.streamVersion(streamId)).toBe(1);
    });

    it.each(['any', 'no_stream'] as const)(
      "a lock held past the retry on a new stream, expecting '%s': StoreUnavailableError, not ConcurrencyError",
      async (expectedVersion) => {
        const store = tables.open({ connection: impatientPool() });
        const streamId = `lockwait-new-${randomUUID()}`;
        const other = await tables.raw();
        await other.query('START TRANSACTION');
        // An uncommitted stream row: the append's insert of the same row waits for it.
        await other.execute(
          `INSERT INTO ${t.streams} (stream_id, stream_type, version) VALUES (?, 'default', 0)`,
          [streamId],
        );
        const error = await store
          .append(streamId, [{ type: 'lock.test', data: 1 }], { expectedVersion })
          .catch((e: unknown) => e);
        await other.query('ROLLBACK');
        expect(ConcurrencyError.isInstance(error), String(error)).toBe(false);
        expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
        expect(await store.streamVersion(streamId)).toBe(0);
      },
    );

    it('a lock held past the retry while the stream moved on: ConcurrencyError with the real version', async () => {
      const store = tables.open({ connection: impatientPool() });
      const streamId = `lockwait-moved-${randomUUID()}`;
      await store.append(streamId, [{ type: 'lock.test', data: 1 }]);
      await store.append(streamId, [{ type: 'lock.test', data: 2 }]);
      const other = await tables.raw();
      await other.query('START TRANSACTION');
      await other.execute(`SELECT version FROM ${t.streams} WHERE stream_id = ? FOR UPDATE`, [streamId]);
      // Expects version 1, but the stream is at 2: a real conflict, whatever the lock did.
      const error = await store
        .append(streamId, [{ type: 'lock.test', data: 3 }], { expectedVersion: 1 })
        .catch((e: unknown) => e);
      await other.query('ROLLBACK');
      expect(ConcurrencyError.isInstance(error), String(error)).toBe(true);
      expect(error).toMatchObject({ streamId, expectedVersion: 1, actualVersion: 2 });
    });

    it("racing 'any' appends from two instances on crossing streams all land (repeated)", async () => {
      const [a, b] = [tables.open(), tables.open()];
      for (let round = 0; round < 5; round++) {
        const streams = [`cross-${randomUUID()}`, `cross-${randomUUID()}`];
        await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            (i % 2 === 0 ? a : b).append(streams[(i >> 1) % 2]!, [{ type: 'lock.test', data: i }]),
          ),
        );
        expect((await a.readStream(streams[0]!)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect((await b.readStream(streams[1]!)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      }
    });
  },
);
