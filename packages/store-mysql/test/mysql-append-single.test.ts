import { randomUUID } from 'node:crypto';
import { ConcurrencyError, MAX_POSITION, PositionsExhaustedError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, migrate } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix, seedSequence } from './mysql-test-server.js';

const reachable = await mysqlReachable();

/** Tables as main's code left them: migrations 1 to 7, single appends through `append_one`. */
async function atReleasedLayout(store: MysqlEventStore, prefix: string): Promise<void> {
  await store.migrate();
  await store.pool.query({ sql: `DROP PROCEDURE IF EXISTS \`${prefix}append_single\`` });
  await store.pool.query({ sql: `DELETE FROM \`${prefix}migrations\` WHERE version >= 8` });
}

async function procedures(store: MysqlEventStore, prefix: string): Promise<string[]> {
  const [rows] = await store.pool.execute(
    {
      sql: `SELECT ROUTINE_NAME FROM information_schema.ROUTINES
        WHERE ROUTINE_SCHEMA = DATABASE() AND LEFT(ROUTINE_NAME, CHAR_LENGTH(?)) = ? ORDER BY ROUTINE_NAME`,
      rowsAsArray: true,
    },
    [prefix, prefix],
  );
  return (rows as string[][]).map((row) => row[0]!.slice(prefix.length));
}

for (const partitions of [undefined, 3]) {
  const layout = partitions === undefined ? 'plain' : `${partitions} partitions`;

  describe.skipIf(!reachable)(`append_single procedure (migration 8), ${layout}`, () => {
    const prefixes: string[] = [];
    const fresh = () => {
      const prefix = randomPrefix();
      prefixes.push(prefix);
      return prefix;
    };
    afterAll(async () => {
      for (const prefix of prefixes) await dropTables(prefix);
    });

    it('migrates tables at the released layout: everything reads back identical, appends go on', async () => {
      const prefix = fresh();
      const old = createMysqlEventStore({
        connection: MYSQL_URL,
        tablePrefix: prefix,
        partitions,
        migrate: false,
      });
      try {
        await atReleasedLayout(old, prefix);
        const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
        await old.append(a, [{ type: 'made', data: { n: 1 }, metadata: { by: 'old' } }], {
          streamType: 'order',
          expectedVersion: 'no_stream',
        });
        // Positions past 2^53, written by the released code's paths (append_one, client statements).
        await seedSequence(prefix, 2n ** 53n + 5n);
        await old.append(a, [{ type: 'changed', data: 'ü' }], { expectedVersion: 1 });
        await old.append(
          b,
          [1, 2, 3].map((n) => ({ type: 'batch', data: n })),
          { expectedVersion: 'no_stream' },
        );
        await old.snapshots.saveSnapshot({ streamId: a, version: 2, stateVersion: 1, state: { n: 2 } });
        await old.checkpoints.saveCheckpoint('audit', 2n ** 53n + 7n);
        const before = await old.readAll();
        expect(before.map((e) => e.position)).toEqual([
          1n,
          2n ** 53n + 6n,
          2n ** 53n + 7n,
          2n ** 53n + 8n,
          2n ** 53n + 9n,
        ]);

        const other = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
        // Several processes at once: one applies it, the others find it done.
        const results = await Promise.all(
          [old.pool, other].map((pool) => migrate(pool, { tablePrefix: prefix })),
        );
        await other.end();
        expect(results.map((r) => r.applied).sort()).toEqual([[], [8]]);
        expect(await procedures(old, prefix)).toEqual(['append_one', 'append_single']);
        expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([]);

        const upgraded = createMysqlEventStore({
          connection: MYSQL_URL,
          tablePrefix: prefix,
          migrate: false,
        });
        try {
          expect(await upgraded.readAll()).toEqual(before);
          expect(await upgraded.readStream(a)).toEqual(before.filter((e) => e.streamId === a));
          expect((await upgraded.snapshots.loadSnapshot(a, { stateVersion: 1 }))?.state).toEqual({ n: 2 });
          expect(await upgraded.checkpoints.loadCheckpoint('audit')).toBe(2n ** 53n + 7n);
          const next = await upgraded.append(a, [{ type: 'after', data: 3 }], { expectedVersion: 2 });
          const created = await upgraded.append(`c-${randomUUID()}`, [{ type: 'after', data: 4 }], {
            streamType: 'invoice',
            expectedVersion: 'no_stream',
          });
          expect([next.lastPosition, created.lastPosition]).toEqual([2n ** 53n + 10n, 2n ** 53n + 11n]);
          const after = await old.readAll({ after: 2n ** 53n + 9n });
          expect(after.map((e) => [e.version, e.streamType, e.data])).toEqual([
            [3, 'order', 3],
            [1, 'invoice', 4],
          ]);
          expect(after.map((e) => e.id)).toEqual([next.events?.[0]?.id, created.events?.[0]?.id]);
        } finally {
          await upgraded.close();
        }
      } finally {
        await old.close();
      }
    });

    it('checks a new stream and an exact version like the other paths', async () => {
      const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: fresh(), partitions });
      try {
        const streamId = `s-${randomUUID()}`;
        await store.append(streamId, [{ type: 't', data: 1 }], {
          streamType: 'cart',
          expectedVersion: 'no_stream',
        });
        const again = await store
          .append(streamId, [{ type: 't', data: 2 }], { expectedVersion: 0 })
          .catch((e) => e);
        expect(ConcurrencyError.isInstance(again) && again.actualVersion).toBe(1);
        const stale = await store
          .append(streamId, [{ type: 't', data: 2 }], { expectedVersion: 2 })
          .catch((e) => e);
        expect(ConcurrencyError.isInstance(stale) && stale.actualVersion).toBe(1);
        const missing = await store
          .append(`none-${randomUUID()}`, [{ type: 't', data: 0 }], { expectedVersion: 3 })
          .catch((e) => e);
        expect(ConcurrencyError.isInstance(missing) && missing.actualVersion).toBe(0);
        // A retry of a committed event (same id) gets its original result and writes nothing.
        const id = randomUUID();
        const first = await store.append(streamId, [{ id, type: 't', data: 2 }], { expectedVersion: 1 });
        const retry = await store.append(streamId, [{ id, type: 't', data: 2 }], { expectedVersion: 1 });
        expect(retry.lastPosition).toBe(first.lastPosition);
        expect((await store.readStream(streamId)).map((e) => [e.version, e.streamType, e.data])).toEqual([
          [1, 'cart', 1],
          [2, 'cart', 2],
        ]);
      } finally {
        await store.close();
      }
    });

    it('never commits a position past MAX_POSITION: the append is refused and nothing is written', async () => {
      const prefix = fresh();
      const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, partitions });
      try {
        const existing = `s-${randomUUID()}`;
        await store.append(existing, [{ type: 't', data: 1 }], { expectedVersion: 'no_stream' });
        await seedSequence(prefix, MAX_POSITION);
        const fresh = `n-${randomUUID()}`;
        for (const [streamId, expectedVersion] of [
          [fresh, 'no_stream'],
          [existing, 1],
        ] as const) {
          const error = await store
            .append(streamId, [{ type: 't', data: 2 }], { expectedVersion })
            .catch((e) => e);
          expect(PositionsExhaustedError.isInstance(error), String(error)).toBe(true);
        }
        expect(await store.streamVersion(fresh)).toBe(0);
        expect(await store.streamVersion(existing)).toBe(1);
        expect((await store.readAll()).map((e) => e.streamId)).toEqual([existing]);
      } finally {
        await store.close();
      }
    });

    it('with a hook, the append commits only after the hook ran, and a throwing hook rolls it back', async () => {
      const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: fresh(), partitions });
      try {
        const streamId = `h-${randomUUID()}`;
        const seen: number[] = [];
        const remove = store.onAppend(async ({ connection, events }) => {
          // The append's transaction is still open while the hook runs.
          const [mine] = await connection.execute({
            sql: 'SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()',
            rowsAsArray: true,
          });
          seen.push(Number((mine as unknown[][])[0]?.[0]));
          if (events.some((e) => e.data === 'poison')) throw new Error('poison');
        });
        await store.append(streamId, [{ type: 't', data: 1 }], { expectedVersion: 'no_stream' });
        await expect(
          store.append(streamId, [{ type: 't', data: 'poison' }], { expectedVersion: 1 }),
        ).rejects.toThrow('poison');
        remove();
        expect(seen).toEqual([1, 1]);
        expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([1]);
        expect(await store.streamVersion(streamId)).toBe(1);
      } finally {
        await store.close();
      }
    });
  });
}
