import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { tableNames } from '../src/mysql-table-names.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('a connection lost in the middle of an append', () => {
  const tables = useTestTables();
  const t = tableNames(tables.prefix);

  it('KILL from another session mid-append: StoreUnavailableError, nothing written, the store works again', async () => {
    const store = tables.open();
    const killer = await tables.raw();
    const streamId = `killed-${randomUUID()}`;
    const type = `killed.${randomUUID()}`;
    await store.append(streamId, [{ type, data: 1 }]);
    const after = (await store.append(`marker-${randomUUID()}`, [{ type: 'marker', data: null }]))
      .lastPosition;

    let kill = true;
    store.onAppend(async ({ connection }) => {
      if (!kill) return;
      kill = false;
      // The events are inserted, the transaction is not committed: end the connection server-side.
      const [rows] = await connection.query({ sql: 'SELECT CONNECTION_ID()', rowsAsArray: true });
      await killer.query(`KILL ${Number((rows as unknown[][])[0]?.[0])}`);
    });
    const error = await store
      .append(
        streamId,
        [
          { type, data: 2 },
          { type, data: 3 },
        ],
        { expectedVersion: 1 },
      )
      .catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    expect((error as StoreUnavailableError).store).toBe('mysql');

    expect(await store.streamVersion(streamId)).toBe(1);
    expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([1]);
    expect(await store.readAll({ after, types: [type] })).toEqual([]);
    const [rows] = await killer.execute(`SELECT COUNT(*) AS n FROM ${t.events} WHERE stream_id = ?`, [
      streamId,
    ]);
    expect(rows).toEqual([{ n: 1 }]);

    const retried = await store.append(streamId, [{ type, data: 2 }], { expectedVersion: 1 });
    expect(retried).toMatchObject({ firstVersion: 2, lastVersion: 2 });
    expect((await store.readAll({ after, types: [type] })).map((e) => e.data)).toEqual([2]);
  });

  it('a statement past queryTimeoutMs fails the append, and its server-side transaction is ended', async () => {
    const store = tables.open({ queryTimeoutMs: 400 });
    const holder = await tables.raw();
    const streamId = `timeout-${randomUUID()}`;
    await holder.query('START TRANSACTION');
    await holder.query(`UPDATE ${t.sequence} SET position = position WHERE id = 1`);
    const error = await store.append(streamId, [{ type: 'timeout', data: 1 }]).catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    // The timed-out transaction created the stream row: it must be gone (killed, rolled back), not
    // left holding that row's lock.
    const [rows] = await holder.execute(`SELECT version FROM ${t.streams} WHERE stream_id = ? FOR UPDATE`, [
      streamId,
    ]);
    expect(rows).toEqual([]);
    await holder.query('ROLLBACK');
    expect(
      await store.append(streamId, [{ type: 'timeout', data: 2 }], { expectedVersion: 'no_stream' }),
    ).toMatchObject({ firstVersion: 1 });
  });

  it('a server that cannot be reached gives StoreUnavailableError on every call, never a driver error', async () => {
    const store = tables.open({ connection: 'mysql://root@127.0.0.1:1/test' });
    for (const call of [
      () => store.append('s', [{ type: 't', data: 1 }]),
      () => store.readStream('s'),
      () => store.readAll(),
      () => store.streamVersion('s'),
      () => store.snapshots.loadSnapshot('s'),
      () => store.checkpoints.loadCheckpoint('c'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    }
  });
});
