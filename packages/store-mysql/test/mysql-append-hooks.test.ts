import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tableNames } from '../src/mysql-table-names.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('onAppend hooks run inside the append transaction', () => {
  const tables = useTestTables();
  const checkpoints = tableNames(tables.prefix).checkpoints;

  it('an async hook writes with the events; it sees their versions and positions', async () => {
    const store = tables.open();
    const streamId = `hook-${randomUUID()}`;
    const seen: unknown[] = [];
    store.onAppend(async ({ connection, events }) => {
      await sleep(5);
      seen.push(events.map((e) => [e.version, e.position, e.data]));
      const last = events[events.length - 1]!;
      await connection.execute(
        { sql: `REPLACE INTO ${checkpoints} (name, position, updated_at) VALUES (?, ?, 0)` },
        [`read-model-${streamId}`, String(last.position)],
      );
    });
    const result = await store.append(streamId, [
      { type: 'h', data: 1 },
      { type: 'h', data: 2 },
    ]);
    expect(seen).toEqual([
      [
        [1, result.lastPosition - 1n, 1],
        [2, result.lastPosition, 2],
      ],
    ]);
    expect(await store.checkpoints.loadCheckpoint(`read-model-${streamId}`)).toBe(result.lastPosition);
  });

  it('a hook sees the very events its append returns', async () => {
    const store = tables.open();
    const seen: unknown[] = [];
    store.onAppend(({ events }) => {
      seen.push(events);
    });
    const result = await store.append(`hook-events-${randomUUID()}`, [
      { type: 'h', data: 1 },
      { type: 'h', data: 2 },
    ]);
    expect(seen).toHaveLength(1);
    expect(result.events).toBe(seen[0]);
  });

  it('a throwing hook rolls back its append (and its own writes) and rejects with the hook error', async () => {
    const store = tables.open();
    const streamId = `hook-fail-${randomUUID()}`;
    const failure = new Error('read model is broken');
    const remove = store.onAppend(async ({ connection, events }) => {
      await connection.execute(
        { sql: `REPLACE INTO ${checkpoints} (name, position, updated_at) VALUES (?, 1, 0)` },
        [`rolled-back-${streamId}`],
      );
      if (events.some((e) => e.data === 'poison')) throw failure;
    });
    await expect(store.append(streamId, [{ type: 'h', data: 'poison' }])).rejects.toBe(failure);
    expect(await store.streamVersion(streamId)).toBe(0);
    expect(await store.checkpoints.loadCheckpoint(`rolled-back-${streamId}`)).toBeUndefined();
    await store.append(streamId, [{ type: 'h', data: 'fine' }], { expectedVersion: 'no_stream' });
    remove();
    await store.append(streamId, [{ type: 'h', data: 'poison' }], { expectedVersion: 1 });
    expect((await store.readStream(streamId)).map((e) => e.data)).toEqual(['fine', 'poison']);
  });

  it('in a group of concurrent appends, a failing hook rolls back only its own append', async () => {
    const store = tables.open();
    store.onAppend(({ events }) => {
      if (events.some((e) => e.data === 'poison')) throw new Error('poison');
    });
    const streams = Array.from({ length: 8 }, () => `hook-group-${randomUUID()}`);
    const outcomes = await Promise.allSettled(
      streams.map((streamId, i) => store.append(streamId, [{ type: 'h', data: i === 3 ? 'poison' : i }])),
    );
    expect(outcomes.map((o) => o.status)).toEqual(
      streams.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')),
    );
    expect(await Promise.all(streams.map((s) => store.streamVersion(s)))).toEqual(
      streams.map((_, i) => (i === 3 ? 0 : 1)),
    );
  });

  it('idempotent retries run no hook', async () => {
    const store = tables.open();
    let calls = 0;
    store.onAppend(() => {
      calls++;
    });
    const events = [{ id: randomUUID(), type: 'h', data: 1 }];
    const streamId = `hook-retry-${randomUUID()}`;
    const first = await store.append(streamId, events);
    expect(await store.append(streamId, events)).toEqual(first);
    expect(calls).toBe(1);
  });
});
