import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { MysqlPool } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();
/** Far above the store's timeout: the calls must give up long before it, not hang. */
const HANG_MS = 20_000;
const TIMEOUT_MS = 300;

async function settledWithin(calls: Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([Promise.allSettled(calls), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(!reachable)('waiting for a pooled connection', () => {
  const tables = useTestTables();

  it('is bounded by queryTimeoutMs: StoreUnavailableError, and the late connection goes back to the pool', async () => {
    const pool: MysqlPool = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
    try {
      const store = tables.open({ connection: pool, queryTimeoutMs: TIMEOUT_MS });
      const streamId = `wait-${randomUUID()}`;
      await store.append(streamId, [{ type: 't', data: 0 }]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the writer connection goes back
      const held = await pool.getConnection();
      const outcomes = await settledWithin([
        store.append(streamId, [{ type: 't', data: 1 }]),
        store.readStream(streamId),
        store.readAll({ after: 0n, limit: 1 }),
        store.streamVersion(streamId),
      ]);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason;
        expect(StoreUnavailableError.isInstance(reason), String(reason)).toBe(true);
        expect((reason as Error).message).toMatch(/poolSize/);
      }
      held.release();
      // Every connection that arrived after its caller gave up was released: the pool still works.
      expect(await store.streamVersion(streamId)).toBe(1);
      await store.append(streamId, [{ type: 't', data: 2 }], { expectedVersion: 1 });
      expect(await store.streamVersion(streamId)).toBe(2);
      await store.close();
    } finally {
      await pool.end();
    }
  });
});
