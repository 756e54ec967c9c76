import type { RecordedEvent } from '@strata/core';
import {
  blueGreenRebuild,
  defineProjector,
  ProjectionRunner,
  type RebuildProgress,
} from '@strata/projections';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { PostgresEventStore } from '../src/index.js';
import { describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

/** Liveness bounds for a loaded 2-core machine: far under the runners' 30 s poll, never a speed claim. */
const WAKE_BOUND_MS = 10_000;
const LIVENESS = { timeout: 30_000, interval: 20 };
/** Polls so rarely that only a notice explains a prompt pick-up. */
const SLEEPY = { minMs: 30_000, maxMs: 30_000 };
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

describePostgres('projection runners woken by LISTEN/NOTIFY, rebuilt while appends go on', () => {
  const env = storeInFreshSchema();
  /** Another store instance (its own pool) over the same schema: the appending "process". */
  let writer: PostgresEventStore;
  let tests = 0;
  let eventType = '';
  const table = (name: string) => `"${env.schema}".${name}`;

  beforeAll(async () => {
    writer = await openStore(env.schema);
  });
  afterAll(async () => {
    await writer?.close();
  });
  beforeEach(() => {
    tests++;
    eventType = `placed-${tests}`;
  });

  /** A projector of order totals per stream into `target`, one upsert per event. */
  function totals(name: string, target: string, weight = 1) {
    return defineProjector({
      name,
      handlers: {
        [eventType]: async (data: unknown, event: RecordedEvent) => {
          await env.admin.query(
            `INSERT INTO ${table(target)} (stream_id, total) VALUES ($1, $2)
             ON CONFLICT (stream_id) DO UPDATE SET total = ${table(target)}.total + EXCLUDED.total`,
            [event.streamId, (data as { cents: number }).cents * weight],
          );
        },
      },
    });
  }

  async function createTotals(name: string): Promise<void> {
    await env.admin.query(
      `CREATE TABLE IF NOT EXISTS ${table(name)} (stream_id text PRIMARY KEY, total bigint NOT NULL)`,
    );
    await env.admin.query(`TRUNCATE ${table(name)}`);
  }

  async function rows(name: string): Promise<Record<string, number>> {
    const { rows: found } = await env.admin.query(
      `SELECT stream_id, total::int FROM ${table(name)} ORDER BY stream_id`,
    );
    return Object.fromEntries(
      found.map((row: { stream_id: string; total: number }) => [row.stream_id, row.total]),
    );
  }

  /** The read model folded straight from the log, in another way: what a rebuild must end equal to. */
  async function freshFold(weight = 1): Promise<Record<string, number>> {
    const fold: Record<string, number> = {};
    for (const event of await writer.readAll({ types: [eventType] })) {
      fold[event.streamId] = (fold[event.streamId] ?? 0) + (event.data as { cents: number }).cents * weight;
    }
    return fold;
  }

  async function place(n: number, from = 0): Promise<bigint> {
    let last = 0n;
    for (let i = from; i < from + n; i++) {
      last = (await writer.append(`order-${i % 9}`, [{ type: eventType, data: { cents: i + 1 } }]))
        .lastPosition;
    }
    return last;
  }

  /** Appends from the other store until stopped; returns how many it wrote. */
  function keepPlacing(from: number) {
    let going = true;
    let written = 0;
    const done = (async () => {
      for (let i = from; going; i++) {
        await place(1, i);
        written++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    return {
      stop: async () => {
        going = false;
        await done;
        return written;
      },
    };
  }

  it("a runner that polls every 30 s picks up another store instance's append at once, and after its listener is killed", async () => {
    await createTotals('wake_totals');
    const errors: unknown[] = [];
    const runner = new ProjectionRunner({
      store: env.store,
      checkpoints: env.store.checkpoints,
      projector: totals('wake', 'wake_totals'),
      polling: SLEEPY,
      retry: fast,
      wakeOn: env.store.appendNotifier,
      onError: (error) => void errors.push(error),
    });
    runner.start();
    const notifier = env.store.appendNotifier;
    try {
      await vi.waitFor(() => expect(notifier.backendPid).toBeDefined(), LIVENESS);
      // Time for the runner's first read, which finds nothing: then it sleeps 30 s unless a notice wakes it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(runner.status()).toMatchObject({ state: 'running', checkpoint: undefined });
      const latencies: number[] = [];
      const pickUp = async (last: bigint) => {
        const sent = Date.now();
        await vi.waitFor(() => expect(runner.status().checkpoint).toBe(last), {
          timeout: WAKE_BOUND_MS,
          interval: 5,
        });
        latencies.push(Date.now() - sent);
      };
      await pickUp(await place(1));
      await pickUp(await place(3, 1));

      const pid = notifier.backendPid!;
      await env.admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), LIVENESS);
      expect(runner.status().state).toBe('running');
      await vi.waitFor(() => expect(notifier.backendPid).not.toBe(pid), LIVENESS);
      await vi.waitFor(() => expect(notifier.backendPid).toBeDefined(), LIVENESS);
      await pickUp(await place(1, 4));
      expect(await rows('wake_totals')).toEqual(await freshFold());
      console.info(`append-to-apply latency across store instances (ms): ${latencies.join(', ')}`);
    } finally {
      await runner.stop();
    }
    expect(notifier.listening).toBe(false);
  }, 120_000);

  it('a rebuild while another store instance keeps appending ends equal to a fresh fold of the log', async () => {
    await createTotals('rebuild_totals');
    await place(300);
    const runner = new ProjectionRunner({
      store: env.store,
      checkpoints: env.store.checkpoints,
      projector: totals('rebuilt', 'rebuild_totals'),
      batchSize: 25,
      retry: fast,
      polling: { minMs: 5, maxMs: 50 },
      wakeOn: env.store.appendNotifier,
    });
    runner.start();
    try {
      await vi.waitFor(async () => expect(await rows('rebuild_totals')).toEqual(await freshFold()), LIVENESS);
      // The read model drifted (a handler bug since fixed).
      await env.admin.query(`UPDATE ${table('rebuild_totals')} SET total = total * 2`);
      const appender = keepPlacing(300);
      const progress: RebuildProgress[] = [];
      const states = new Set<string>();
      const final = await runner.rebuild({
        reset: () => createTotals('rebuild_totals'),
        onProgress: (p) => {
          progress.push(p);
          states.add(runner.status().state);
        },
      });
      const appendedDuring = await appender.stop();
      expect(final.done).toBe(true);
      expect(final.eventsDone).toBeGreaterThanOrEqual(300);
      expect(states).toEqual(new Set(['rebuilding']));
      expect(progress.some((p) => p.secondsLeft !== undefined && p.secondsLeft > 0)).toBe(true);
      expect(progress.every((p, i) => i === 0 || p.eventsDone >= progress[i - 1]!.eventsDone)).toBe(true);
      const head = (await env.store.readAll({ types: [eventType] })).at(-1)!.position;
      await vi.waitFor(() => expect(runner.status().checkpoint).toBe(head), LIVENESS);
      expect(await rows('rebuild_totals')).toEqual(await freshFold());
      console.info(
        `rebuild: ${final.eventsDone} events replayed at ${final.eventsPerSecond.toFixed(0)}/s while ${appendedDuring} were appended`,
      );
    } finally {
      await runner.stop();
    }
  }, 120_000);

  it('a blue/green rebuild swaps a view to the new version only after it caught up, while appends go on', async () => {
    await createTotals('orders_v1');
    await env.admin.query(`CREATE OR REPLACE VIEW ${table('orders')} AS SELECT * FROM ${table('orders_v1')}`);
    await place(200);
    const live = new ProjectionRunner({
      store: env.store,
      checkpoints: env.store.checkpoints,
      projector: totals('orders', 'orders_v1'),
      retry: fast,
      polling: { minMs: 5, maxMs: 50 },
      wakeOn: env.store.appendNotifier,
    });
    live.start();
    await vi.waitFor(async () => expect(await rows('orders')).toEqual(await freshFold()), LIVENESS);
    // Version 2 counts in tenths of a cent.
    const next = new ProjectionRunner({
      store: env.store,
      checkpoints: env.store.checkpoints,
      projector: totals('orders@v2', 'orders_v2', 10),
      batchSize: 20,
      retry: fast,
      polling: { minMs: 5, maxMs: 50 },
      wakeOn: env.store.appendNotifier,
    });
    const appender = keepPlacing(200);
    let behindAtSwap: number | undefined;
    try {
      await blueGreenRebuild({
        live,
        next,
        prepare: () => createTotals('orders_v2'),
        swap: async () => {
          // What the new version still lacks of the log at the moment it replaces the old one.
          const checkpoint = await env.store.checkpoints.loadCheckpoint('orders@v2');
          behindAtSwap = (await env.store.readAll({ after: checkpoint ?? 0n, types: [eventType] })).length;
          await env.admin.query(
            `CREATE OR REPLACE VIEW ${table('orders')} AS SELECT * FROM ${table('orders_v2')}`,
          );
        },
      });
      expect(live.status().state).toBe('stopped');
      expect(next.status().state).toBe('running');
      const appendedDuring = await appender.stop();
      // Caught up with the head when it was checked; only appends made since could be missing.
      expect(behindAtSwap).toBeLessThanOrEqual(appendedDuring);
      const head = (await env.store.readAll({ types: [eventType] })).at(-1)!.position;
      await vi.waitFor(() => expect(next.status().checkpoint).toBe(head), LIVENESS);
      expect(await rows('orders')).toEqual(await freshFold(10));
      console.info(
        `blue/green: ${behindAtSwap} events behind at the swap, ${appendedDuring} appended meanwhile`,
      );
    } finally {
      await appender.stop();
      await next.stop();
      await live.stop();
    }
  }, 120_000);
});
