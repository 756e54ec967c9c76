import {
  collectAppendNotices as collect,
  NOTICE_LIVENESS as LIVENESS,
} from '@strata/vitest-preset/append-notices';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { PostgresEventStore } from '../src/index.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
  storeInFreshSchema,
} from './support/postgres-test-env.js';

describePostgres('store.appendNotifier (LISTEN/NOTIFY)', () => {
  const env = storeInFreshSchema();
  const otherSchema = randomSchema();
  /** A second store over the same schema: another process, as far as the server can tell. */
  let writer: PostgresEventStore;
  /** A store over another schema, whose appends must not reach the first schema's listeners. */
  let stranger: PostgresEventStore;

  beforeAll(async () => {
    writer = await openStore(env.schema);
    stranger = await openStore(otherSchema);
  });
  afterAll(async () => {
    await writer?.close();
    await stranger?.close();
    const admin = adminPool();
    await dropSchema(admin, otherSchema);
    await admin.end();
  });

  it('hears the committed appends of another store instance, with their last position, and no other storage', async () => {
    const heard = collect();
    const unsubscribe = env.store.appendNotifier.subscribe(heard.listener);
    try {
      await vi.waitFor(() => expect(heard.notices).toEqual([{ lastPosition: undefined }]), LIVENESS);
      const first = await writer.append('n-1', [{ type: 'a', data: {} }]);
      const second = await writer.append('n-2', [
        { type: 'a', data: {} },
        { type: 'b', data: {} },
      ]);
      await stranger.append('n-3', [{ type: 'a', data: {} }]);
      await vi.waitFor(() => expect(heard.positions()).toContain(second.lastPosition), LIVENESS);
      expect(heard.positions()).toEqual([first.lastPosition, second.lastPosition]);
      expect(heard.errors).toEqual([]);
    } finally {
      unsubscribe();
    }
    await vi.waitFor(() => expect(env.store.appendNotifier.listening).toBe(false), LIVENESS);
  });

  it('is silent about an append whose transaction rolled back, and about idempotent retries', async () => {
    const heard = collect();
    const unsubscribe = env.store.appendNotifier.subscribe(heard.listener);
    const removeHook = writer.onAppend(({ events }) => {
      if (events.some((e) => e.type === 'refused')) throw new Error('the read model refuses it');
    });
    try {
      await vi.waitFor(() => expect(env.store.appendNotifier.listening).toBe(true), LIVENESS);
      await expect(writer.append('r-1', [{ type: 'refused', data: {} }])).rejects.toThrow(/refuses/);
      const event = { id: '0192f0c0-0000-7000-8000-00000000a001', type: 'kept', data: {} };
      const kept = await writer.append('r-2', [event]);
      await writer.append('r-2', [event]);
      const marker = await writer.append('r-3', [{ type: 'marker', data: {} }]);
      await vi.waitFor(() => expect(heard.positions()).toContain(marker.lastPosition), LIVENESS);
      expect(heard.positions()).toEqual([kept.lastPosition, marker.lastPosition]);
    } finally {
      removeHook();
      unsubscribe();
    }
  });

  it('shares one connection between listeners, reports it when it is killed, and listens again', async () => {
    const a = collect();
    const b = collect();
    const notifier = env.store.appendNotifier;
    const stopA = notifier.subscribe(a.listener);
    const stopB = notifier.subscribe(b.listener);
    try {
      await vi.waitFor(() => expect(notifier.backendPid).toBeDefined(), LIVENESS);
      const pid = notifier.backendPid!;
      // Two listeners, one session listening on this storage's channel: the notifier's.
      const { rows } = await env.admin.query(
        `SELECT array_agg(pid) AS pids FROM pg_stat_activity WHERE query = $1`,
        [`LISTEN "${tableNames(env.schema).appendChannel}"`],
      );
      expect(rows[0].pids).toEqual([pid]);
      await env.admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await vi.waitFor(() => expect(a.errors.length).toBeGreaterThan(0), LIVENESS);
      expect(b.errors.length).toBe(a.errors.length);
      await vi.waitFor(() => expect(notifier.backendPid).toBeDefined(), LIVENESS);
      expect(notifier.backendPid).not.toBe(pid);
      const after = await writer.append('k-1', [{ type: 'a', data: {} }]);
      await vi.waitFor(() => expect(a.positions()).toContain(after.lastPosition), LIVENESS);
      expect(b.positions()).toContain(after.lastPosition);
      // The reconnect announced that notices may have been missed.
      expect(a.notices.filter((n) => n.lastPosition === undefined).length).toBeGreaterThanOrEqual(2);
    } finally {
      stopA();
      stopB();
    }
  });

  it('sends nothing when notifyAppends is off', async () => {
    const quiet = await openStore(env.schema, { notifyAppends: false });
    const heard = collect();
    const unsubscribe = env.store.appendNotifier.subscribe(heard.listener);
    try {
      await vi.waitFor(() => expect(env.store.appendNotifier.listening).toBe(true), LIVENESS);
      await quiet.append('q-1', [{ type: 'a', data: {} }]);
      const marker = await writer.append('q-2', [{ type: 'a', data: {} }]);
      await vi.waitFor(() => expect(heard.positions()).toContain(marker.lastPosition), LIVENESS);
      expect(heard.positions()).toEqual([marker.lastPosition]);
    } finally {
      unsubscribe();
      await quiet.close();
    }
  });
});
