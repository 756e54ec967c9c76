// Run: pnpm --filter @strata/store-tiered bench (after `pnpm build`). Prints markdown tables.
// Measures readStream latency of 10-, 100- and 1,000-event streams: a strict hot hit, a bounded
// hot hit, a miss (warm read, promotion in the background) and the warm store alone; the calls and rows each read
// takes from the warm store; and the tiered append's overhead over the warm store alone.
// Warm stores: SQLite always; PostgreSQL and MySQL when their packages are built and their servers
// answer (STRATA_PG_URL, STRATA_MYSQL_URL). Redis: STRATA_REDIS_URL (keys under a random prefix,
// deleted at the end).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, NewEvent } from '@strata/core';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { Redis } from 'ioredis';
import { createRedisHotTier, createTieredEventStore, recommendedHotRedisOptions } from '../src/index.js';

const REDIS_URL = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const SIZES = [10, 100, 1000];
const READS: Record<number, number> = { 10: 2000, 100: 1000, 1000: 200 };
const APPENDS = 500;

interface Warm {
  name: string;
  store: EventStore;
  cleanup(): Promise<void>;
}

/** Counts the warm store's calls and the rows they return (a streamVersion is one indexed row). */
function rowCounting(store: EventStore) {
  const counts = { calls: 0, rows: 0 };
  const wrapped: EventStore = {
    append: (...args) => store.append(...args),
    readAll: (...args) => store.readAll(...args),
    close: () => store.close(),
    async readStream(...args) {
      const events = await store.readStream(...args);
      counts.calls++;
      counts.rows += events.length;
      return events;
    },
    async readStreams(...args) {
      const result = await store.readStreams(...args);
      counts.calls++;
      for (const events of result.values()) counts.rows += events.length;
      return result;
    },
    async streamVersion(...args) {
      const version = await store.streamVersion(...args);
      counts.calls++;
      counts.rows++;
      return version;
    },
  };
  return { wrapped, counts };
}

function event(i: number): NewEvent {
  return {
    type: 'order.line-added',
    data: {
      orderId: 'o-1',
      line: i,
      sku: `SKU-${1000 + i}`,
      quantity: (i % 5) + 1,
      price: 12.5,
      note: 'gift wrap, please',
    },
    metadata: { correlationId: `c-${i}`, userId: 'u-42' },
  };
}

async function timeEach(iterations: number, op: () => Promise<unknown>, setup?: () => Promise<unknown>) {
  const samples: number[] = [];
  const warmup = Math.min(50, iterations);
  for (let i = 0; i < warmup + iterations; i++) {
    if (setup) await setup();
    const start = process.hrtime.bigint();
    await op();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= warmup) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const ms = (n: number) => n.toFixed(3);

async function sqliteWarm(): Promise<Warm> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-tiered-bench-'));
  const store = createSqliteEventStore({ database: join(dir, 'bench.db') });
  return {
    name: 'SQLite (file, synchronous FULL)',
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresWarm(): Promise<Warm | string> {
  try {
    const { createPostgresEventStore } = await import('@strata/store-postgres');
    const pg = (await import('pg')).default;
    const schema = `strata_bench_${randomBytes(4).toString('hex')}`;
    const store = await createPostgresEventStore({ connectionString: PG_URL, schema, poolSize: 4 });
    await store.streamVersion('probe');
    return {
      name: 'PostgreSQL',
      store,
      async cleanup() {
        await store.close();
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
    };
  } catch (error) {
    return `PostgreSQL skipped: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function mysqlWarm(): Promise<Warm | string> {
  try {
    const { createMysqlEventStore } = await import('@strata/store-mysql');
    const mysql = await import('mysql2/promise');
    const prefix = `b_${randomBytes(4).toString('hex')}_`;
    const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 4 });
    await store.streamVersion('probe');
    return {
      name: 'MySQL/MariaDB',
      store,
      async cleanup() {
        await store.close();
        const connection = await mysql.createConnection({ uri: MYSQL_URL });
        const [rows] = await connection.query('SHOW TABLES LIKE ?', [`${prefix}%`]);
        for (const row of rows as Record<string, string>[]) {
          await connection.query(`DROP TABLE IF EXISTS \`${Object.values(row)[0]}\``);
        }
        await connection.end();
      },
    };
  } catch (error) {
    return `MySQL skipped: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function bench(warm: Warm): Promise<void> {
  const redis = new Redis(REDIS_URL, recommendedHotRedisOptions(1_000));
  const keyPrefix = `strata-bench:${randomBytes(4).toString('hex')}:`;
  const hot = createRedisHotTier(redis, { keyPrefix, timeoutMs: 1_000 });
  const { wrapped, counts } = rowCounting(warm.store);
  const quiet = { warn() {} };
  const strict = createTieredEventStore({ warm: wrapped, hot, ttlSeconds: 600, logger: quiet });
  const bounded = createTieredEventStore({
    warm: wrapped,
    hot,
    ttlSeconds: 600,
    consistency: 'bounded',
    maxStalenessMs: 60_000,
    logger: quiet,
  });

  console.log(`\n### ${warm.name}\n`);
  console.log('| events | read | p50 ms | p99 ms | warm calls / read | warm rows / read |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
  for (const size of SIZES) {
    const streamId = `bench-${size}-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < size; i += 100) {
      await warm.store.append(
        streamId,
        Array.from({ length: Math.min(100, size - i) }, (_, j) => event(i + j)),
      );
    }
    const iterations = READS[size]!;
    const row = async (label: string, op: () => Promise<unknown>, setup?: () => Promise<unknown>) => {
      await op();
      // A hit row measures hits: let the first read's promotion land first.
      await strict.flush();
      await bounded.flush();
      const before = { ...counts };
      const { p50, p99 } = await timeEach(iterations, op, setup);
      const total = iterations + Math.min(50, iterations);
      const calls = (counts.calls - before.calls) / total;
      const rows = (counts.rows - before.rows) / total;
      console.log(
        `| ${size} | ${label} | ${ms(p50)} | ${ms(p99)} | ${calls.toFixed(2)} | ${rows.toFixed(1)} |`,
      );
    };
    await row('warm alone', () => wrapped.readStream(streamId));
    await row('hot hit, strict', () => strict.readStream(streamId));
    await row('hot hit, bounded', () => bounded.readStream(streamId));
    // The promotion runs after the read returns: flushed (untimed) before the copy is dropped again.
    await row(
      'miss (warm read; promotion in the background)',
      () => strict.readStream(streamId),
      async () => {
        await strict.flush();
        await hot.invalidate(streamId);
      },
    );
  }

  // Interleaved, so drift in the machine's load hits all three alike. The write-through runs in
  // the background after the append returns; it is flushed (untimed) before the next append, so
  // each sample is the latency a caller sees, not the background work of the previous one.
  const appendTo = {
    'warm alone': { store: warm.store, streamId: `append-w-${randomBytes(3).toString('hex')}` },
    'tiered, stream with a hot copy (write-through)': {
      store: strict as EventStore,
      streamId: `append-c-${randomBytes(3).toString('hex')}`,
    },
    'tiered, stream without a copy': {
      store: strict as EventStore,
      streamId: `append-n-${randomBytes(3).toString('hex')}`,
    },
  };
  for (const { store, streamId } of Object.values(appendTo)) await store.append(streamId, [event(0)]);
  await strict.readStream(appendTo['tiered, stream with a hot copy (write-through)'].streamId);
  const appendSamples = new Map<string, number[]>(Object.keys(appendTo).map((label) => [label, []]));
  for (let i = 0; i < APPENDS; i++) {
    for (const [label, { store, streamId }] of Object.entries(appendTo)) {
      await strict.flush();
      const start = process.hrtime.bigint();
      await store.append(streamId, [event(i)]);
      appendSamples.get(label)!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  console.log('\n| append of 1 event | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: |');
  const p50s: number[] = [];
  for (const [label, samples] of appendSamples) {
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    p50s.push(at(0.5));
    console.log(`| ${label} | ${ms(at(0.5))} | ${ms(at(0.99))} |`);
  }
  const [base, through, noCopy] = p50s as [number, number, number];
  console.log(
    `\nAppend overhead at p50: ${(((through - base) / base) * 100).toFixed(1)}% with a copy to write through, ` +
      `${(((noCopy - base) / base) * 100).toFixed(1)}% without a copy.`,
  );

  await strict.close();
  await bounded.close();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

const warms: (Warm | string)[] = [await sqliteWarm(), await postgresWarm(), await mysqlWarm()];
for (const warm of warms) {
  if (typeof warm === 'string') {
    console.log(`\n${warm}`);
    continue;
  }
  try {
    await bench(warm);
  } finally {
    await warm.cleanup();
  }
}
