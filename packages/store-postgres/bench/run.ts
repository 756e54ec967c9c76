// Benchmarks @strata/store-postgres against the raw pg driver doing the plain four-round-trip
// append (BEGIN, SELECT version, INSERT, COMMIT) in the same process, on the same server.
//   pnpm --filter @strata/store-postgres exec tsx bench/run.ts [--full] [--runs N] [--partitions N] [--only W1,W4]
// STRATA_PG_URL selects the server (default postgres://postgres@127.0.0.1:5432/test). Every run
// uses a fresh schema `strata_bench_<random>`, dropped afterwards.
import { randomBytes } from 'node:crypto';
import type { NewEvent } from '@strata/core';
import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '../src/index.js';
import { RawBaseline, rawSchemaSql } from './raw-baseline.js';

const URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};

const full = flag('--full');
const scale = {
  runs: Number(option('--runs') ?? (full ? 5 : 3)),
  streams: 1_000,
  appenders: 8,
  singleAppends: full ? 10_000 : 2_000,
  batchEvents: full ? 50_000 : 20_000,
  batchSize: 100,
  batchStreams: 100,
  streamLength: 1_000,
  streamReads: full ? 100 : 50,
  logEvents: 200_000,
  logStreams: 1_000,
  pageSize: 1_000,
};
const partitions = option('--partitions') === undefined ? undefined : Number(option('--partitions'));
const only = option('--only')?.split(',');

interface Subject {
  append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void>;
  readStream(streamId: string): Promise<number>;
  readAll(after: bigint, limit: number): Promise<{ count: number; lastPosition: bigint | undefined }>;
}

function storeSubject(store: PostgresEventStore): Subject {
  return {
    append: async (streamId, events, expectedVersion) => {
      await store.append(streamId, events as NewEvent[], { expectedVersion });
    },
    readStream: async (streamId) => (await store.readStream(streamId)).length,
    readAll: async (after, limit) => {
      const page = await store.readAll({ after, limit });
      return { count: page.length, lastPosition: page[page.length - 1]?.position };
    },
  };
}

function benchEvent(n: number): NewEvent {
  return {
    type: 'bench.item-added',
    data: { sku: `sku-${n % 1_000}`, quantity: (n % 7) + 1, priceCents: 1_299, note: 'benchmark payload' },
    metadata: { source: 'strata-bench' },
  };
}

async function appendRoundRobin(subject: Subject, streams: string[], appends: number, size: number) {
  const versions = streams.map(() => 0);
  for (let i = 0; i < appends; i++) {
    const s = i % streams.length;
    const events = Array.from({ length: size }, (_, k) => benchEvent(i * size + k));
    await subject.append(streams[s]!, events, versions[s]!);
    versions[s]! += size;
  }
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

interface Workload {
  id: string;
  title: string;
  /** Events in the store (and the raw table) before the timed part, as [streamPrefix, streams, perStream]. */
  seed?: [string, number, number];
  run(subject: Subject): Promise<number>;
}

const workloads: Workload[] = [
  {
    id: 'W1',
    title: `single-event appends, expected version, ${scale.singleAppends} over ${scale.streams} streams`,
    run: async (subject) => {
      await appendRoundRobin(subject, ids('w1', scale.streams), scale.singleAppends, 1);
      return scale.singleAppends;
    },
  },
  {
    id: 'W2',
    title: `same, ${scale.appenders} concurrent appenders on disjoint streams`,
    run: async (subject) => {
      const streams = ids('w2', scale.streams);
      const each = Math.floor(scale.singleAppends / scale.appenders);
      await Promise.all(
        Array.from({ length: scale.appenders }, (_, k) =>
          appendRoundRobin(
            subject,
            streams.filter((_, s) => s % scale.appenders === k),
            each,
            1,
          ),
        ),
      );
      return each * scale.appenders;
    },
  },
  {
    id: 'W3',
    title: `${scale.batchSize}-event batches, ${scale.batchEvents} events over ${scale.batchStreams} streams`,
    run: async (subject) => {
      const appends = scale.batchEvents / scale.batchSize;
      await appendRoundRobin(subject, ids('w3', scale.batchStreams), appends, scale.batchSize);
      return appends * scale.batchSize;
    },
  },
  {
    id: 'W4',
    title: `readStream of a ${scale.streamLength}-event stream, ${scale.streamReads} times`,
    seed: ['w4', 1, scale.streamLength],
    run: async (subject) => {
      let total = 0;
      for (let r = 0; r < scale.streamReads; r++) total += await subject.readStream('w4-0');
      if (total !== scale.streamLength * scale.streamReads) throw new Error(`W4 read ${total}`);
      return total;
    },
  },
  {
    id: 'W5',
    title: `readAll in pages of ${scale.pageSize} over ${scale.logEvents} events`,
    seed: ['w5', scale.logStreams, scale.logEvents / scale.logStreams],
    run: async (subject) => {
      let total = 0;
      let after = 0n;
      for (;;) {
        const page = await subject.readAll(after, scale.pageSize);
        if (page.lastPosition === undefined) break;
        total += page.count;
        after = page.lastPosition;
      }
      if (total !== scale.logEvents) throw new Error(`W5 read ${total}`);
      return total;
    },
  },
];

/** Fills the store's tables and the raw table with the same events, directly in SQL (not timed). */
async function seed(admin: pg.Pool, schema: string, [prefix, streams, perStream]: [string, number, number]) {
  const total = streams * perStream;
  await admin.query(
    `INSERT INTO "${schema}".strata_events (event_id, stream_id, stream_type, event_type, data, metadata, version,
       schema_version, occurred_at, recorded_at)
     SELECT gen_random_uuid()::text, $1 || '-' || (g % $2), 'default', 'bench.item-added',
            json_build_object('sku', 'sku-' || (g % 1000), 'quantity', (g % 7) + 1, 'priceCents', 1299,
                              'note', 'benchmark payload'),
            '{"source":"strata-bench"}', g / $2 + 1, 1, $4::bigint, $4::bigint
       FROM generate_series(0, $3 - 1) AS g ORDER BY g`,
    [prefix, streams, total, Date.now()],
  );
  if (partitions !== undefined) {
    await admin.query(
      `INSERT INTO "${schema}".strata_event_ids (event_id, stream_id, version, position)
       SELECT event_id, stream_id, version, position FROM "${schema}".strata_events`,
    );
  }
  await admin.query(
    `INSERT INTO "${schema}".strata_streams (stream_id, stream_type, version)
     SELECT stream_id, 'default', max(version) FROM "${schema}".strata_events GROUP BY stream_id`,
  );
  await admin.query(
    `INSERT INTO "${schema}".raw_events (event_id, stream_id, stream_type, event_type, data, metadata, version,
       schema_version, occurred_at, recorded_at)
     SELECT event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at,
            recorded_at FROM "${schema}".strata_events ORDER BY position`,
  );
  await admin.query(`VACUUM ANALYZE "${schema}".strata_events, "${schema}".raw_events`);
}

async function measure(admin: pg.Pool, workload: Workload, side: 'store' | 'raw'): Promise<number> {
  const schema = `strata_bench_${randomBytes(5).toString('hex')}`;
  const store = await createPostgresEventStore({ connectionString: URL, schema, partitions });
  const rawPool = new pg.Pool({ connectionString: URL, max: 10 });
  try {
    for (const text of rawSchemaSql(schema)) await admin.query(text);
    if (workload.seed !== undefined) await seed(admin, schema, workload.seed);
    const subject = side === 'store' ? storeSubject(store) : new RawBaseline(rawPool, schema);
    // Warm the connections and prepared statements outside the timed part.
    await subject.readAll(0n, 1);
    await subject.readStream('warm-up');
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const events = await workload.run(subject);
    return events / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    await rawPool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const goals: Record<string, number> = { W1: 1.0, W2: 1.0, W3: 1.0, W4: 0.9, W5: 0.9 };

async function main() {
  const admin = new pg.Pool({ connectionString: URL, max: 2 });
  const { rows } = await admin.query('SHOW server_version');
  console.log(
    `PostgreSQL ${rows[0].server_version}, ${partitions === undefined ? 'one events table' : `${partitions} hash partitions`}, ` +
      `${scale.runs} runs per side (medians, events/s; ratio = median of paired store/raw)`,
  );
  const lines: string[] = [];
  for (const workload of workloads) {
    if (only !== undefined && !only.includes(workload.id)) continue;
    const store: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run < scale.runs; run++) {
      for (const side of run % 2 === 0 ? (['store', 'raw'] as const) : (['raw', 'store'] as const)) {
        (side === 'store' ? store : raw).push(await measure(admin, workload, side));
      }
    }
    const ratio = median(store.map((s, i) => s / raw[i]!));
    const line =
      `${workload.id} ${workload.title}: store ${Math.round(median(store))}, raw ${Math.round(median(raw))}, ` +
      `ratio ${ratio.toFixed(2)}x (goal ${goals[workload.id]}x: ${ratio >= goals[workload.id]! ? 'met' : 'MISSED'})`;
    console.log(line);
    lines.push(line);
  }
  await admin.end();
}

await main();
