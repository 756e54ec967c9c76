import { randomUUID } from 'node:crypto';
import { createPool } from 'mysql2';
import { createPool as createPromisePool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { MysqlPool } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('a pool the caller owns', () => {
  const tables = useTestTables();

  it('is used as is and stays open after close(), with autocommit as it was', async () => {
    const pool: MysqlPool = createPromisePool({ uri: MYSQL_URL, connectionLimit: 2 });
    try {
      const store = tables.open({ connection: pool });
      const streamId = `pool-${randomUUID()}`;
      await Promise.all([1, 2, 3].map((n) => store.append(streamId, [{ type: 't', data: n }])));
      await store.close();
      const [rows] = await pool.query({ sql: 'SELECT @@autocommit', rowsAsArray: true });
      expect(rows).toEqual([[1]]);
      const [count] = await pool.execute(
        { sql: `SELECT COUNT(*) FROM \`${tables.prefix}events\` WHERE stream_id = ?`, rowsAsArray: true },
        [streamId],
      );
      expect(count).toEqual([[3]]);
    } finally {
      await pool.end();
    }
  });

  it('a callback pool works through its promise() face', async () => {
    const pool = createPool({ uri: MYSQL_URL, connectionLimit: 2 });
    try {
      const store = tables.open({ connection: pool as unknown as MysqlPool });
      const streamId = `callback-${randomUUID()}`;
      await store.append(streamId, [{ type: 't', data: 1 }]);
      expect(await store.streamVersion(streamId)).toBe(1);
      await store.close();
    } finally {
      await new Promise((resolve) => pool.end(resolve));
    }
  });

  it('a pool of one connection still serves concurrent appends and reads', async () => {
    const pool = createPromisePool({ uri: MYSQL_URL, connectionLimit: 1 });
    try {
      const store = tables.open({ connection: pool });
      const streamId = `one-${randomUUID()}`;
      await Promise.all([
        ...Array.from({ length: 6 }, (_, n) => store.append(streamId, [{ type: 't', data: n }])),
        store.readStream(streamId),
      ]);
      expect(await store.streamVersion(streamId)).toBe(6);
      await store.close();
    } finally {
      await pool.end();
    }
  });
});
