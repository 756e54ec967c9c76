import { randomUUID } from 'node:crypto';
import { ConcurrencyError, type RecordedEvent } from '@strata/core';
import { beforeAll, expect, it } from 'vitest';
import { describePostgres, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('onAppend hooks and grouped appends', () => {
  const env = storeInFreshSchema();
  const { schema } = env;
  const readModel = `"${schema}".read_model`;

  beforeAll(async () => {
    await env.admin.query(
      `CREATE TABLE ${readModel} (event_id text PRIMARY KEY, stream_id text, version int, position bigint, txid bigint)`,
    );
  });

  /** A read model written by a hook, in the append's transaction. */
  function projectIntoReadModel(onlyStream?: (streamId: string) => boolean) {
    return env.store.onAppend(async ({ client, events }) => {
      for (const event of events) {
        if (onlyStream !== undefined && !onlyStream(event.streamId)) continue;
        await client.query(
          `INSERT INTO ${readModel} (event_id, stream_id, version, position, txid) VALUES ($1, $2, $3, $4, txid_current())`,
          [event.id, event.streamId, event.version, event.position.toString()],
        );
      }
    });
  }

  async function readModelRows(streamId: string) {
    const { rows } = await env.admin.query(
      `SELECT event_id, version, position::text, txid::text FROM ${readModel} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows as { event_id: string; version: number; position: string; txid: string }[];
  }

  it('a hook writes in the append transaction and sees the final versions and positions', async () => {
    const remove = projectIntoReadModel();
    try {
      const streamId = `hook-${randomUUID()}`;
      await env.store.append(streamId, [{ type: 't', data: 1 }]);
      await env.store.append(
        streamId,
        [
          { type: 't', data: 2 },
          { type: 't', data: 3 },
        ],
        { expectedVersion: 1 },
      );
      const events = await env.store.readStream(streamId);
      const rows = await readModelRows(streamId);
      expect(rows.map((r) => [r.event_id, r.version, r.position])).toEqual(
        events.map((e) => [e.id, e.version, e.position.toString()]),
      );
    } finally {
      remove();
    }
  });

  it('a throwing hook rolls its append back and rejects it with the hook error; the rest of the group commits', async () => {
    const doomed = `hook-doomed-${randomUUID()}`;
    const failure = new Error('read model refused');
    const removeProjection = projectIntoReadModel();
    const removeThrower = env.store.onAppend(({ events }) => {
      if (events[0]?.streamId === doomed) throw failure;
    });
    try {
      const others = Array.from({ length: 6 }, () => `hook-other-${randomUUID()}`);
      const outcomes = await Promise.allSettled([
        ...others.slice(0, 3).map((id) => env.store.append(id, [{ type: 't', data: 1 }])),
        env.store.append(doomed, [{ type: 't', data: 1 }]),
        ...others.slice(3).map((id) => env.store.append(id, [{ type: 't', data: 1 }])),
      ]);
      expect(outcomes[3]).toEqual({ status: 'rejected', reason: failure });
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(6);
      expect(await env.store.streamVersion(doomed)).toBe(0);
      expect(await readModelRows(doomed)).toEqual([]);
      for (const id of others) {
        expect(await env.store.streamVersion(id)).toBe(1);
        expect(await readModelRows(id)).toHaveLength(1);
      }
    } finally {
      removeThrower();
      removeProjection();
    }
  });

  it('a removed hook no longer runs, and an idempotent retry does not run hooks again', async () => {
    let calls = 0;
    const remove = env.store.onAppend(() => {
      calls++;
    });
    const streamId = `hook-retry-${randomUUID()}`;
    const events = [{ id: randomUUID(), type: 't', data: 1 }];
    const first = await env.store.append(streamId, events);
    expect(await env.store.append(streamId, events)).toEqual(first);
    expect(calls).toBe(1);
    remove();
    await env.store.append(streamId, [{ type: 't', data: 2 }]);
    expect(calls).toBe(1);
  });

  it('each append of a group returns the events it wrote, and a retry, which wrote nothing, none', async () => {
    const streams = Array.from({ length: 6 }, () => `events-${randomUUID()}`);
    const batches = streams.map((_, i) =>
      Array.from({ length: i + 1 }, (_, n) => ({ id: randomUUID(), type: 't', data: { n } })),
    );
    const results = await Promise.all(streams.map((id, i) => env.store.append(id, batches[i]!)));
    for (const [i, id] of streams.entries())
      expect(results[i]!.events).toEqual(await env.store.readStream(id));
    const retried = await env.store.append(streams[2]!, batches[2]!);
    expect(retried).toEqual(results[2]);
    expect(retried.events).toBeUndefined();
  });

  it('a hook sees the very events its append returns', async () => {
    let seen: readonly RecordedEvent[] | undefined;
    const remove = env.store.onAppend(({ events }) => {
      seen = events;
    });
    try {
      const streamId = `hook-events-${randomUUID()}`;
      const result = await env.store.append(streamId, [
        { type: 't', data: 1 },
        { type: 't', data: 2 },
      ]);
      expect(result.events).toBe(seen);
      expect(seen).toEqual(await env.store.readStream(streamId));
    } finally {
      remove();
    }
  });

  it('concurrent appends through one store share transactions, each still atomic and checked alone', async () => {
    const remove = projectIntoReadModel((id) => id.startsWith('group-'));
    try {
      const contested = `group-contested-${randomUUID()}`;
      await env.store.append(contested, [{ type: 't', data: 0 }]);
      const free = Array.from({ length: 12 }, () => `group-free-${randomUUID()}`);
      const outcomes = await Promise.allSettled([
        ...free.map((id) =>
          env.store.append(id, [
            { type: 't', data: 1 },
            { type: 't', data: 2 },
          ]),
        ),
        ...Array.from({ length: 4 }, () =>
          env.store.append(contested, [{ type: 't', data: 1 }], { expectedVersion: 1 }),
        ),
      ]);
      expect(outcomes.slice(0, 12).every((o) => o.status === 'fulfilled')).toBe(true);
      const contestedOutcomes = outcomes.slice(12);
      expect(contestedOutcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of contestedOutcomes) {
        if (o.status === 'rejected') expect(ConcurrencyError.isInstance(o.reason)).toBe(true);
      }
      const txids = new Set<string>();
      for (const id of [...free, contested]) for (const row of await readModelRows(id)) txids.add(row.txid);
      // 16 appends, but at most two groups start before the rest queue up behind them.
      expect(txids.size).toBeLessThan(16);
      for (const id of free) expect((await env.store.readStream(id)).map((e) => e.version)).toEqual([1, 2]);
      expect((await env.store.readStream(contested)).map((e) => e.version)).toEqual([1, 2]);
    } finally {
      remove();
    }
  });
});
