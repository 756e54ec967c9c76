import { randomUUID } from 'node:crypto';
import { ConcurrencyError, DuplicateEventError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('concurrent appends through one store share transactions', () => {
  const tables = useTestTables();

  it('16 concurrent appends commit in fewer transactions than appends, each settled on its own', async () => {
    const store = tables.open();
    const transactions = new Set<string>();
    store.onAppend(async ({ connection }) => {
      const [rows] = await connection.query({
        sql: 'SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()',
        rowsAsArray: true,
      });
      transactions.add(String((rows as unknown[][])[0]?.[0]));
    });
    const streams = Array.from({ length: 16 }, () => `group-${randomUUID()}`);
    const results = await Promise.all(
      streams.map((streamId) => store.append(streamId, [{ type: 'g', data: 1 }])),
    );
    expect(results.map((r) => r.lastVersion)).toEqual(streams.map(() => 1));
    expect(new Set(results.map((r) => r.lastPosition)).size).toBe(16);
    expect(transactions.size).toBeLessThan(16);
  });

  it('appenders coming back through promise layers (a wrapping store) still share transactions', async () => {
    // Transactions counted on the wire: each ends with a COMMIT, or inside a CALL that commits.
    let transactions = 0;
    const pool = createPool({ uri: MYSQL_URL, connectionLimit: 4 });
    pool.on('connection', (connection) => {
      for (const method of ['query', 'execute'] as const) {
        const original = connection[method].bind(connection) as (...args: unknown[]) => unknown;
        (connection as unknown as Record<string, unknown>)[method] = (
          options: unknown,
          ...rest: unknown[]
        ) => {
          const sql = typeof options === 'string' ? options : (options as { sql: string }).sql;
          if (sql === 'COMMIT' || sql.startsWith('CALL')) transactions++;
          return original(options, ...rest);
        };
      }
    });
    const store = tables.open({ connection: pool });
    try {
      const countFor = async (layers: number) => {
        transactions = 0;
        const run = randomUUID();
        await Promise.all(
          Array.from({ length: 8 }, async (_, appender) => {
            const streamId = `layers-${run}-${appender}`;
            for (let round = 0; round < 12; round++) {
              await store.append(streamId, [{ type: 'g', data: round }], { expectedVersion: round });
              for (let i = 0; i < layers; i++) await null;
            }
          }),
        );
        return transactions;
      };
      const bare = await countFor(0);
      const layered = await countFor(3);
      // 96 appends by 8 appenders, 12 rounds: 24 transactions bare. Before, the first appender back
      // through the layers after a group settled went alone (27 here, and through the tiered store
      // 0.67 per append against 0.375 bare in apps/bench); now 12, one per round.
      expect(layered).toBeLessThanOrEqual(bare);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('a group mixing winners, conflicts, retries and duplicates settles each append correctly', async () => {
    const store = tables.open();
    const existing = `mixed-${randomUUID()}`;
    const stored = [{ id: randomUUID(), type: 'g', data: 'stored' }];
    const original = await store.append(existing, stored);
    const fresh = `mixed-new-${randomUUID()}`;
    const [ok, stale, retry, duplicate, again, created, exists] = await Promise.allSettled([
      store.append(existing, [{ type: 'g', data: 'ok' }], { expectedVersion: 1 }),
      store.append(existing, [{ type: 'g', data: 'stale' }], { expectedVersion: 1 }),
      store.append(existing, stored, { expectedVersion: 'no_stream' }),
      store.append(`mixed-dup-${randomUUID()}`, stored),
      store.append(fresh, [{ type: 'g', data: 'first' }], { expectedVersion: 'no_stream' }),
      store.append(fresh, [{ type: 'g', data: 'second' }], { expectedVersion: 'no_stream' }),
      store.append(`missing-${randomUUID()}`, [{ type: 'g', data: 'x' }], {
        expectedVersion: 'stream_exists',
      }),
    ]);
    expect(ok).toMatchObject({ status: 'fulfilled', value: { firstVersion: 2 } });
    expect(stale.status).toBe('rejected');
    expect(ConcurrencyError.isInstance((stale as PromiseRejectedResult).reason)).toBe(true);
    expect((stale as PromiseRejectedResult).reason).toMatchObject({ actualVersion: 2 });
    expect(retry).toEqual({ status: 'fulfilled', value: original });
    expect(DuplicateEventError.isInstance((duplicate as PromiseRejectedResult).reason)).toBe(true);
    expect([again.status, created.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(ConcurrencyError.isInstance((exists as PromiseRejectedResult).reason)).toBe(true);
    expect((await store.readStream(existing)).map((e) => e.data)).toEqual(['stored', 'ok']);
    expect(await store.streamVersion(fresh)).toBe(1);
  });

  it('every write path returns the events it wrote, as reads return them; a retry returns none', async () => {
    const store = tables.open();
    const streamId = `events-${randomUUID()}`;
    const batch = (data: unknown[]) => data.map((d) => ({ id: randomUUID(), type: 'e', data: d }));
    const appends = [
      // Stream creation, the one-event procedure, several events, 'stream_exists', then a group.
      [batch([1]), { expectedVersion: 'no_stream', streamType: 'order' }],
      [batch([2]), { expectedVersion: 1 }],
      [batch([3, 4]), { expectedVersion: 2 }],
      [batch([5]), { expectedVersion: 'stream_exists' }],
    ] as const;
    const results = [];
    for (const [events, options] of appends) results.push(await store.append(streamId, events, options));
    const others = Array.from({ length: 4 }, () => `events-group-${randomUUID()}`);
    const grouped = await Promise.all(others.map((id) => store.append(id, batch([1, 2]))));

    const read = await store.readStream(streamId);
    expect(results.flatMap((r) => r.events ?? [])).toEqual(read);
    for (const [i, id] of others.entries()) expect(grouped[i]!.events).toEqual(await store.readStream(id));
    const retried = await store.append(streamId, [...appends[2][0]]);
    expect(retried).toEqual(results[2]);
    expect(retried.events).toBeUndefined();
  });

  it("8 concurrent 'any' appends to one stream keep its versions contiguous", async () => {
    const store = tables.open();
    const streamId = `any-${randomUUID()}`;
    await store.append(streamId, [{ type: 'g', data: 0 }]);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.append(streamId, [
          { type: 'g', data: i + 1 },
          { type: 'g', data: -i },
        ]),
      ),
    );
    expect((await store.readStream(streamId)).map((e) => e.version)).toEqual(
      Array.from({ length: 17 }, (_, i) => i + 1),
    );
  });
});

describe.skipIf(!reachable)('single-event appends through the stored procedure', () => {
  const tables = useTestTables();

  it('are written, conflict, retry idempotently and refuse duplicates like any append', async () => {
    const store = tables.open();
    const streamId = `proc-${randomUUID()}`;
    await store.append(streamId, [{ type: 'p', data: 0 }], { streamType: 'order' });
    const event = { id: randomUUID(), type: 'p', data: 1, metadata: { m: 'ü' }, schemaVersion: 3 };
    const written = await store.append(streamId, [event], { expectedVersion: 1, streamType: 'ignored' });
    expect(written).toMatchObject({ firstVersion: 2, lastVersion: 2 });
    const [, second] = await store.readStream(streamId);
    expect(second).toMatchObject({
      id: event.id,
      streamType: 'order',
      version: 2,
      position: written.lastPosition,
      schemaVersion: 3,
    });
    expect(await store.append(streamId, [event], { expectedVersion: 1 })).toEqual(written);
    const conflict = await store
      .append(streamId, [{ type: 'p', data: 2 }], { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(ConcurrencyError.isInstance(conflict)).toBe(true);
    expect(conflict).toMatchObject({ actualVersion: 2 });
    const missing = await store
      .append(`proc-missing-${randomUUID()}`, [{ type: 'p', data: 2 }], { expectedVersion: 4 })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'STRATA_CONCURRENCY', actualVersion: 0 });
    // The same id in another stream is a duplicate (in the same stream it would be a retry).
    const other = `proc-other-${randomUUID()}`;
    await store.append(other, [{ type: 'p', data: 0 }]);
    const duplicate = await store
      .append(other, [{ id: event.id, type: 'p', data: 9 }], { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(DuplicateEventError.isInstance(duplicate), String(duplicate)).toBe(true);
    expect(await store.streamVersion(streamId)).toBe(2);
    expect(await store.streamVersion(other)).toBe(1);
  });
});
