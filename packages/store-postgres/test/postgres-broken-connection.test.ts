import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppendResult, StoreUnavailableError } from '@strata/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresEventStore } from '../src/index.js';
import { tableNames } from '../src/postgres-table-names.js';
import { track, within } from './support/deadline.js';
import { describePostgres, openStore, PG_URL, storeInFreshSchema } from './support/postgres-test-env.js';

const WAIT_MS = 10_000;

/** A broken connection or a timeout in the middle of an append: typed error, nothing half-written, recovery. */
describePostgres('broken connections and timeouts', () => {
  const env = storeInFreshSchema();
  const { schema } = env;
  const lockKey = tableNames(schema).positionLockKey.toString();

  const event = (n: number) => ({ type: 'broken.test', data: { n } });

  /** Holds the position lock in a raw transaction, so appends stop between their checks and their insert. */
  async function holdPositionLock(): Promise<pg.PoolClient> {
    const holder = await env.admin.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
    return holder;
  }

  async function release(holder: pg.PoolClient): Promise<void> {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
  }

  /** The backend of the append waiting for the position lock. */
  async function waitingAppendBackend(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await env.admin.query(
        `SELECT pid FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE $1`,
        [`%"${schema}"."strata_append"%`],
      );
      if (rows[0] !== undefined) return rows[0].pid as number;
      await sleep(25);
    }
    throw new Error('no append is waiting for the position lock');
  }

  it('a backend killed in the middle of an append leaves nothing written and the store recovers', async () => {
    const streamId = `broken-kill-${randomUUID()}`;
    await env.store.append(streamId, [event(1)]);
    const holder = await holdPositionLock();
    try {
      // The stream row is already bumped to version 3 inside the append's transaction when it waits.
      const append = track(env.store.append(streamId, [event(2), event(3)], { expectedVersion: 1 }));
      const pid = await waitingAppendBackend();
      await env.admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = await within(append.promise, WAIT_MS, 'the killed append').catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    } finally {
      await release(holder);
    }
    expect(await env.store.streamVersion(streamId)).toBe(1);
    expect((await env.store.readStream(streamId)).map((e) => e.version)).toEqual([1]);
    const retried = await env.store.append(streamId, [event(2), event(3)], { expectedVersion: 1 });
    expect(retried).toMatchObject({ firstVersion: 2, lastVersion: 3 });
  });

  it('a backend killed between the insert and the commit (inside a hook) leaves nothing written', async () => {
    const streamId = `broken-hook-${randomUUID()}`;
    await env.store.append(streamId, [event(1)]);
    const remove = env.store.onAppend(async ({ client, events }) => {
      if (events[0]?.streamId !== streamId) return;
      const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
      await env.admin.query('SELECT pg_terminate_backend($1)', [(rows[0] as { pid: number }).pid]);
    });
    try {
      const error = await env.store
        .append(streamId, [event(2)], { expectedVersion: 1 })
        .catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    } finally {
      remove();
    }
    expect(await env.store.streamVersion(streamId)).toBe(1);
    expect(await env.store.readStream(streamId)).toHaveLength(1);
    expect(await env.store.append(streamId, [event(2)], { expectedVersion: 1 })).toMatchObject({
      lastVersion: 2,
    });
  });

  it('a statement timeout is a StoreUnavailableError, writes nothing, and the store recovers', async () => {
    const impatient = await openStore(schema, { statementTimeout: 300 });
    const streamId = `broken-timeout-${randomUUID()}`;
    const holder = await holdPositionLock();
    try {
      const error = await within(
        impatient.append(streamId, [event(1)]),
        WAIT_MS,
        'the timed-out append',
      ).catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
    } finally {
      await release(holder);
    }
    expect(await impatient.streamVersion(streamId)).toBe(0);
    expect(await impatient.append(streamId, [event(1)])).toMatchObject({ firstVersion: 1 });
    await impatient.close();
  });

  it('every pooled connection killed at once: calls fail as StoreUnavailableError or succeed, then work', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 3, application_name: `strata-test-${schema}` });
    pool.on('error', () => {});
    const caller = await createPostgresEventStore({ pool, schema });
    try {
      const streamId = `broken-all-${randomUUID()}`;
      await Promise.all([
        caller.append(streamId, [event(1)]),
        caller.readAll({ limit: 1 }),
        caller.streamVersion('x'),
      ]);
      await env.admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`strata-test-${schema}`],
      );
      for (const call of [() => caller.readStream(streamId), () => caller.append(streamId, [event(2)])]) {
        const outcome = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        if (outcome !== undefined)
          expect(StoreUnavailableError.isInstance(outcome), String(outcome)).toBe(true);
      }
      // Each pooled connection is found dead at most once (by its own error event or by the call
      // that meets it), so within pool size + 1 tries the store answers again, and every failure
      // on the way is a StoreUnavailableError.
      let appended: AppendResult | undefined;
      for (let attempt = 0; attempt <= 3 && appended === undefined; attempt++) {
        appended = await (async () => {
          const version = await caller.streamVersion(streamId);
          const result = await caller.append(streamId, [event(3)], { expectedVersion: version });
          expect(result.lastVersion).toBe(version + 1);
          return result;
        })().catch((e: unknown) => {
          expect(StoreUnavailableError.isInstance(e), String(e)).toBe(true);
          return undefined;
        });
      }
      expect(appended, 'the store did not recover within 4 tries').toBeDefined();
    } finally {
      await caller.close();
      await pool.end();
    }
  });
});
