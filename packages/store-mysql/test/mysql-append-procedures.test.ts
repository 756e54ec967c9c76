import { randomUUID } from 'node:crypto';
import { ConcurrencyError, DuplicateEventError, MAX_POSITION, PositionsExhaustedError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, migrate } from '../src/index.js';
import { MYSQL_URL, mysqlReachable, seedSequence } from './mysql-test-server.js';
import { freshPrefixes } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

/** Tables as main's code left them: migrations 1 to 7, single appends through `append_one`. */
async function atReleasedLayout(store: MysqlEventStore, prefix: string): Promise<void> {
  await store.migrate();
  await store.pool.query({ sql: `CREATE INDEX type_position ON \`${prefix}events\` (event_type, position)` });
  await store.pool.query({ sql: `DROP PROCEDURE IF EXISTS \`${prefix}append_single\`` });
  await store.pool.query({ sql: `DROP PROCEDURE IF EXISTS \`${prefix}append_batch\`` });
  await store.pool.query({ sql: `DROP PROCEDURE IF EXISTS \`${prefix}append_single_advancing\`` });
  await store.pool.query({ sql: `DROP PROCEDURE IF EXISTS \`${prefix}append_batch_advancing\`` });
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

  describe.skipIf(!reachable)(
    `append_single and append_batch procedures (migrations 8, 9), ${layout}`,
    () => {
      const fresh = freshPrefixes();

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
          expect(results.map((r) => r.applied).sort()).toEqual([[], [8, 9, 10, 11]]);
          expect(await procedures(old, prefix)).toEqual([
            'append_batch',
            'append_batch_advancing',
            'append_one',
            'append_single',
            'append_single_advancing',
          ]);
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
            const batch = await upgraded.append(
              b,
              [5, 6].map((n) => ({ type: 'batch', data: n })),
              {
                expectedVersion: 3,
              },
            );
            expect([next.lastPosition, created.lastPosition, batch.lastPosition]).toEqual([
              2n ** 53n + 10n,
              2n ** 53n + 11n,
              2n ** 53n + 13n,
            ]);
            const after = await old.readAll({ after: 2n ** 53n + 9n });
            expect(after.map((e) => [e.version, e.streamType, e.data, e.position])).toEqual([
              [3, 'order', 3, 2n ** 53n + 10n],
              [1, 'invoice', 4, 2n ** 53n + 11n],
              [4, 'default', 5, 2n ** 53n + 12n],
              [5, 'default', 6, 2n ** 53n + 13n],
            ]);
            expect(after.map((e) => e.id)).toEqual([
              next.events?.[0]?.id,
              created.events?.[0]?.id,
              ...(batch.events ?? []).map((e) => e.id),
            ]);
          } finally {
            await upgraded.close();
          }
        } finally {
          await old.close();
        }
      });

      // 64 events take the statements rather than append_batch (BATCH_PROCEDURE_MAX_EVENTS).
      for (const size of [1, 3, 64]) {
        it(`checks a new stream and an exact version like the other paths (${size} events)`, async () => {
          const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: fresh(), partitions });
          const events = (from: number) =>
            Array.from({ length: size }, (_, n) => ({ type: 't', data: from + n }));
          try {
            const streamId = `s-${randomUUID()}`;
            await store.append(streamId, events(1), { streamType: 'cart', expectedVersion: 'no_stream' });
            const again = await store.append(streamId, events(9), { expectedVersion: 0 }).catch((e) => e);
            expect(ConcurrencyError.isInstance(again) && again.actualVersion).toBe(size);
            const stale = await store
              .append(streamId, events(9), { expectedVersion: size + 1 })
              .catch((e) => e);
            expect(ConcurrencyError.isInstance(stale) && stale.actualVersion).toBe(size);
            const missing = await store
              .append(`none-${randomUUID()}`, events(9), { expectedVersion: 3 })
              .catch((e) => e);
            expect(ConcurrencyError.isInstance(missing) && missing.actualVersion).toBe(0);
            // A retry of committed events (same ids) gets its original result and writes nothing.
            const batch = events(1 + size).map((event) => ({ ...event, id: randomUUID() }));
            const first = await store.append(streamId, batch, { expectedVersion: size });
            const retry = await store.append(streamId, batch, { expectedVersion: size });
            expect(retry.lastPosition).toBe(first.lastPosition);
            // An id already stored fails the whole append, and nothing of it is written.
            const reused = [
              { type: 't', data: 'new' },
              { ...batch[0]!, data: 'reused' },
            ];
            const duplicate = await store
              .append(streamId, reused, { expectedVersion: 2 * size })
              .catch((e) => e);
            expect(DuplicateEventError.isInstance(duplicate), String(duplicate)).toBe(true);
            const stored = await store.readStream(streamId);
            expect(stored.map((e) => [e.version, e.streamType, e.data])).toEqual(
              Array.from({ length: 2 * size }, (_, n) => [n + 1, 'cart', n + 1]),
            );
            expect(stored.map((e) => e.position)).toEqual(
              stored.map((_, n) => stored[0]!.position + BigInt(n)),
            );
          } finally {
            await store.close();
          }
        });
      }

      it('stores payloads of several events exactly as one event would', async () => {
        const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: fresh(), partitions });
        try {
          const payloads = [
            { text: 'a\u0000b "q" \\ / \n\t\u2028\u2029 😀 ü ☃', nested: [1, 2.5e-10, null, true] },
            'x'.repeat(70_000),
            { '\ud83d\ude00': '\u001f' },
            [],
          ];
          const streamId = `p-${randomUUID()}`;
          const result = await store.append(
            streamId,
            payloads.map((data, n) => ({
              id: `id-${n}-ü`,
              type: `type-${n}-☃`,
              data,
              metadata: { n, s: '"\\' },
            })),
            { expectedVersion: 0 },
          );
          const stored = await store.readStream(streamId);
          expect(stored.map((e) => e.data)).toEqual(payloads);
          expect(stored.map((e) => [e.id, e.type, e.metadata])).toEqual(
            payloads.map((_, n) => [`id-${n}-ü`, `type-${n}-☃`, { n, s: '"\\' }]),
          );
          expect(stored).toEqual(result.events);
          // Too large to pack into one CALL (over 4 MiB): the multi-statement path writes it.
          const large = Array.from({ length: 3 }, (_, n) => ({
            type: 'large',
            data: 'y'.repeat(600_000 + n),
          }));
          await store.append(streamId, large, { expectedVersion: payloads.length });
          expect((await store.readStream(streamId, { fromVersion: 5 })).map((e) => e.data)).toEqual(
            large.map((e) => e.data),
          );
        } finally {
          await store.close();
        }
      });

      it('sends up to 63 events in one CALL and 64 or more as statements, stored alike', async () => {
        const pool = createPool({ uri: MYSQL_URL, connectionLimit: 2 });
        const sent: string[] = [];
        pool.on('connection', (connection) => {
          // Records what each real connection is asked to run, then runs it.
          const execute = connection.execute.bind(connection) as (...args: unknown[]) => unknown;
          (connection as unknown as { execute: (...args: unknown[]) => unknown }).execute = (
            options: unknown,
            ...rest: unknown[]
          ) => {
            sent.push(typeof options === 'string' ? options : (options as { sql: string }).sql);
            return execute(options, ...rest);
          };
        });
        const store = createMysqlEventStore({ connection: pool, tablePrefix: fresh(), partitions });
        try {
          const events = (size: number, from: number) =>
            Array.from({ length: size }, (_, n) => ({ type: 't', data: { n: from + n, s: '"ü\\' } }));
          const streamId = `path-${randomUUID()}`;
          const calls = () => sent.filter((sql) => sql.startsWith('CALL')).length;
          const inserts = () => sent.filter((sql) => /^INSERT INTO \S+events\b/.test(sql)).length;
          await store.append(streamId, events(63, 1), { expectedVersion: 'no_stream' });
          expect([calls(), inserts()]).toEqual([1, 0]);
          await store.append(streamId, events(64, 64), { expectedVersion: 63 });
          expect([calls(), inserts()]).toEqual([1, 1]);
          const other = `path-${randomUUID()}`;
          await store.append(other, events(64, 1), { expectedVersion: 0 });
          expect([calls(), inserts()]).toEqual([1, 2]);
          const stored = await store.readStream(streamId);
          expect(stored.map((e) => [e.version, e.data])).toEqual(
            events(127, 1).map((e, n) => [n + 1, e.data]),
          );
          expect(stored.map((e) => e.position)).toEqual(
            stored.map((_, n) => stored[0]!.position + BigInt(n)),
          );
          expect((await store.readStream(other)).map((e) => e.version)).toEqual(
            events(64, 1).map((_, n) => n + 1),
          );
        } finally {
          await store.close();
          await pool.end();
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
          for (const [streamId, expectedVersion, size] of [
            [fresh, 'no_stream', 1],
            [existing, 1, 1],
            [fresh, 'no_stream', 3],
            [existing, 1, 3],
          ] as const) {
            const events = Array.from({ length: size }, (_, n) => ({ type: 't', data: n }));
            const error = await store.append(streamId, events, { expectedVersion }).catch((e) => e);
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
          await store.append(
            streamId,
            [2, 3].map((data) => ({ type: 't', data })),
            { expectedVersion: 1 },
          );
          for (const data of [['poison'], ['fine', 'poison']]) {
            const events = data.map((d) => ({ type: 't', data: d }));
            await expect(store.append(streamId, events, { expectedVersion: 3 })).rejects.toThrow('poison');
          }
          remove();
          expect(seen).toEqual([1, 1, 1, 1]);
          expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([1, 2, 3]);
          expect(await store.streamVersion(streamId)).toBe(3);
        } finally {
          await store.close();
        }
      });
    },
  );
}
