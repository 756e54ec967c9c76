import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';
import { WORKLOAD_IDS, type WorkloadId } from './workloads/workload.js';

export const SUITES = ['throughput', 'tiered', 'snapshots', 'wrappers', 'projections'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchArgs {
  /** Suites to run, in report order. */
  suites: Suite[];
  quick: boolean;
  /** Workloads to run, in report order. */
  only: WorkloadId[];
  /** Target families or names to run; empty means all. */
  targets: string[];
  /** Overrides the scale's run count. */
  runs: number | undefined;
  /** Hash partitions of the PostgreSQL and MySQL stores' events tables; `undefined`: none. */
  partitions: number | undefined;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [-- options]

  --suite tiered     run only these suites (comma-separated): throughput (W1..W5, adapter vs raw
                     driver and vs a minimal hand-written store), tiered (readStream and append latency of the tiered store),
                     snapshots (aggregate loads with and without a snapshot, the cost of snapshots
                     on saves), wrappers (what withUpcasting and withEncryption cost in events/s) or
                     projections (async and batched projection throughput vs raw readAll, what a
                     realtime read-model row adds to an append); default: all of them
  --quick            fewer runs and smaller workloads (a smoke test, not a measurement)
  --only W1,W3       run only these throughput workloads (W1..W5)
  --target sqlite    run only these targets, by family or name (comma-separated): throughput has
                     memory, sqlite (sqlite-normal, sqlite-full), postgres, mysql, redis, tiered
                     (tiered-mysql: the tiered store vs MySQL alone); in the tiered
                     suite, postgres and mysql select the warm tier; the snapshots suite has
                     sqlite, postgres, mysql, redis and tiered; the wrappers suite sqlite and postgres;
                     the projections suite sqlite, postgres and mysql
  --runs N           throughput: measured runs per workload and side (default 5, or 3 with --quick);
                     tiered, snapshots, wrappers: interleaved rounds (default 20, or 4 with --quick);
                     projections: interleaved rounds (default 10, or 3 with --quick)
  --partitions N     throughput: the PostgreSQL and MySQL stores hash-partition their events table
                     into N partitions (the raw and minimal baselines keep one plain table)
  --help             show this help`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  // `pnpm bench -- --quick` forwards the separator itself; it carries no meaning here.
  const args = argv.filter((arg) => arg !== '--');
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  return {
    suites: parseSuites(values.suite),
    quick: values.quick ?? false,
    only: parseWorkloads(values.only),
    targets: splitList(values.target),
    runs: parseRuns(values.runs),
    partitions: parsePartitions(values.partitions),
    help: values.help ?? false,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      suite: { type: 'string' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      target: { type: 'string' },
      runs: { type: 'string' },
      partitions: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseWorkloads(value: string | undefined): WorkloadId[] {
  if (value === undefined) return [...WORKLOAD_IDS];
  const requested = splitList(value).map((id) => id.toUpperCase());
  const unknown = requested.filter((id) => !isWorkloadId(id));
  if (unknown.length > 0 || requested.length === 0) {
    throw new UsageError(`--only takes workloads among ${WORKLOAD_IDS.join(',')} (got "${value}")`);
  }
  return WORKLOAD_IDS.filter((id) => requested.includes(id));
}

function parseSuites(value: string | undefined): Suite[] {
  if (value === undefined || value === 'all') return [...SUITES];
  const requested = splitList(value);
  const unknown = requested.filter((suite) => !(SUITES as readonly string[]).includes(suite));
  if (unknown.length > 0 || requested.length === 0) {
    throw new UsageError(`--suite takes ${SUITES.join(', ')} or all (got "${value}")`);
  }
  return SUITES.filter((suite) => requested.includes(suite));
}

function parseRuns(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new UsageError(`--runs takes an integer >= 1 (got "${value}")`);
  return runs;
}

function parsePartitions(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const partitions = Number(value);
  if (!Number.isSafeInteger(partitions) || partitions < 2 || partitions > 1024)
    throw new UsageError(`--partitions takes an integer from 2 to 1024 (got "${value}")`);
  return partitions;
}

function isWorkloadId(id: string): id is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(id);
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
