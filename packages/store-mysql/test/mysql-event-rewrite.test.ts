import { randomUUID } from 'node:crypto';
import { EventRewriteConflictError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('MysqlEventStore.rewriteEvent on a pool that counts changed rows', () => {
  const tables = useTestTables();

  it('a rewrite to exactly what is stored succeeds; a broken guard still conflicts', async () => {
    // Without CLIENT_FOUND_ROWS an UPDATE to the same values reports 0 affected rows.
    const pool = createPool({ uri: MYSQL_URL, flags: ['-FOUND_ROWS'], supportBigNumbers: true });
    onTestFinished(() => pool.end());
    const store = tables.open({ connection: pool });
    const streamId = `rewrite-${randomUUID()}`;
    await store.append(streamId, [{ type: 'a', data: { x: 1 }, metadata: { m: 1 } }]);
    const [event] = await store.readStream(streamId);
    const guard = {
      streamId,
      version: 1,
      id: event!.id,
      position: event!.position,
      expectedType: 'a',
      expectedSchemaVersion: 1,
    };
    const same = { ...guard, type: 'a', schemaVersion: 1, data: { x: 1 }, metadata: { m: 1 } };
    await store.rewriteEvent(same);
    await expect(store.rewriteEvent({ ...same, data: { x: 2 } })).resolves.toBeUndefined();
    await expect(store.rewriteEvent({ ...same, expectedSchemaVersion: 2 })).rejects.toSatisfy(
      EventRewriteConflictError.isInstance,
    );
    expect((await store.readStream(streamId))[0]).toEqual({ ...event, data: { x: 2 } });
  });
});
