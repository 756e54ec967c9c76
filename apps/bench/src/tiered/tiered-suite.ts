import { createRedisHotTier, createTieredEventStore, type TieredLogger } from '@strata/store-tiered';
import type { BenchArgs } from '../cli-args.js';
import { probeTargets, selectByKeys } from '../target-registry.js';
import { type AppendCaseResult, measureAppends } from './append-latency.js';
import { CountingEventStore } from './counting-event-store.js';
import { measureReads, type ReadCaseResult } from './read-latency.js';
import { openBenchHotTier, probeRedis, REDIS_URL, unreachableRedisUrl } from './redis-bench-hot-tier.js';
import { formatTieredGoal, judgeTieredGoals, type TieredGoalResult } from './tiered-goals.js';
import { TIERED_FULL_SCALE, TIERED_QUICK_SCALE, type TieredScale } from './tiered-scale.js';
import { formatAppendTable, formatReadTable } from './tiered-table.js';
import { TIERED_BACKENDS, type TieredBackend, tieredBackendKeys } from './tiered-warm-backends.js';

/** The outage case's store fails on purpose: its outage log lines are not news. */
const SILENT: TieredLogger = { warn: () => {} };

/** Long enough that no copy expires during a run; the keys are deleted at the end anyway. */
const TTL_SECONDS = 600;

export interface HotTierHealth {
  backend: string;
  /** Hot-tier calls that failed, and breaker openings: both 0 in a clean run (else hits became warm reads). */
  hotErrors: number;
  breakerOpenings: number;
  /** Copies the tiered stores deleted (the miss case deletes through the hot tier: not counted). */
  invalidations: number;
  writeThroughFailures: number;
  /** Lines the tiered stores logged (outage start and end). */
  logged: string[];
  keysDeleted: number;
}

export interface TieredReport {
  scale: TieredScale;
  reads: ReadCaseResult[];
  appends: AppendCaseResult[];
  goals: TieredGoalResult[];
  health: HotTierHealth[];
  skipped: { target: string; reason: string }[];
  misses: string[];
}

export function tieredBackends(args: BenchArgs): TieredBackend[] {
  return selectByKeys(TIERED_BACKENDS, args.targets, tieredBackendKeys);
}

/** readStream and append latency of the tiered store over each selected warm tier, with a Redis hot tier. */
export async function runTieredSuite(args: BenchArgs): Promise<TieredReport> {
  const base = args.quick ? TIERED_QUICK_SCALE : TIERED_FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, rounds: args.runs };
  const selected = tieredBackends(args);
  const redisDown = selected.length === 0 ? undefined : await probeRedis(REDIS_URL);
  const { runnable, skipped } =
    redisDown === undefined
      ? await probeTargets(selected)
      : { runnable: [], skipped: selected.map((target) => ({ target, reason: redisDown })) };

  console.log(`\n## Tiered: ${scale.name} scale, ${scale.rounds} interleaved rounds, latency percentiles`);
  console.log(describe(scale));
  for (const { target, reason } of skipped) console.log(`  ${target.name}: NOT RUN: ${reason}`);
  console.log('\nRunning (every round runs one block of each case, the order rotated each round):');

  const reads: ReadCaseResult[] = [];
  const appends: AppendCaseResult[] = [];
  const health: HotTierHealth[] = [];
  for (const backend of runnable) {
    const started = performance.now();
    const warm = await backend.open();
    const hotTier = openBenchHotTier(REDIS_URL);
    const deadHot = createRedisHotTier(await unreachableRedisUrl());
    const logged: string[] = [];
    const logger: TieredLogger = {
      warn: (message) => logged.push(`warn: ${message}`),
      info: (message) => logged.push(`info: ${message}`),
    };
    let keysDeleted = 0;
    let errors = { hotErrors: 0, breakerOpenings: 0, invalidations: 0, writeThroughFailures: 0 };
    try {
      const counting = new CountingEventStore(warm.store);
      const common = { warm: counting, hot: hotTier.hot, ttlSeconds: TTL_SECONDS, logger };
      const fixture = {
        warm: counting,
        strict: createTieredEventStore(common),
        bounded: createTieredEventStore({ ...common, consistency: 'bounded' }),
        down: createTieredEventStore({ ...common, hot: deadHot, logger: SILENT }),
        // The copies of this warm storage, as the tiered stores see them.
        hot: hotTier.hot.forStorage(await warm.store.storageId!()),
        ping: hotTier.ping,
      };
      try {
        reads.push(...(await measureReads(fixture, backend.name, scale)));
        appends.push(...(await measureAppends(fixture, backend.name, scale)));
      } finally {
        await fixture.strict.close();
        await fixture.bounded.close();
        await fixture.down.close();
        await deadHot.close();
      }
      const [strict, bounded] = [fixture.strict.stats(), fixture.bounded.stats()];
      errors = {
        hotErrors: strict.hotErrors + bounded.hotErrors,
        breakerOpenings: strict.breakerOpenings + bounded.breakerOpenings,
        invalidations: strict.invalidations + bounded.invalidations,
        writeThroughFailures: strict.writeThroughFailures + bounded.writeThroughFailures,
      };
    } finally {
      keysDeleted = await hotTier.cleanup();
      await warm.cleanup();
    }
    health.push({ backend: backend.name, ...errors, logged, keysDeleted });
    console.log(`  ${backend.name}: done (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  const labels = new Map(runnable.map((b) => [b.name, b.label]));
  const goals = judgeTieredGoals(
    runnable.map((b) => ({ name: b.name, label: b.label, judgeHitSpeedup: b.warmFamily === 'mysql' })),
    reads,
    appends,
  );
  if (reads.length > 0) {
    console.log(`\n${formatReadTable(reads, labels)}\n`);
    console.log(
      'p50/p99/max: latency of one readStream of the whole stream, in ms. "vs warm": warm alone p50 / this p50.',
    );
    console.log(
      'Warm calls, event rows, version rows: what the read took from the warm store, per read (a miss',
    );
    console.log(
      'includes its background promotion). A version row is one primary-key row of the streams table.',
    );
    console.log(`\n${formatAppendTable(appends, labels)}\n`);
    console.log(
      'Appends: one event with an exact expected version, round-robin over a few streams per case.',
    );
    console.log(
      "back-to-back: the tiered store's background hot-tier work (the write-through) is not awaited",
    );
    console.log(
      'between appends, so it weighs on the next ones (judged). isolated: it is awaited, untimed, before',
    );
    console.log(
      'each append: the call alone. Warm reads, event rows: per append, besides the append itself.',
    );
  }
  for (const h of health) {
    console.log(
      `Hot tier over ${labels.get(h.backend)}: ${h.hotErrors} failed calls, ${h.breakerOpenings} breaker openings, ` +
        `${h.writeThroughFailures} write-through failures, ${h.invalidations} copies dropped by the store, ` +
        `${h.keysDeleted} keys deleted at the end${h.logged.length > 0 ? `; logged: ${h.logged.join(' | ')}` : ''}`,
    );
  }
  if (goals.length > 0)
    console.log(`\nTiered goals:\n${goals.map((g) => `  ${formatTieredGoal(g)}`).join('\n')}`);
  for (const { target, reason } of skipped) console.log(`Not run: ${target.name}: ${reason}`);
  return {
    scale,
    reads,
    appends,
    goals,
    health,
    skipped: skipped.map(({ target, reason }) => ({ target: target.name, reason })),
    misses: goals.filter((g) => !g.pass).map(formatTieredGoal),
  };
}

function describe(scale: TieredScale): string {
  const reads = scale.sizes
    .map((size) => `${scale.reads[size]} reads of a ${size.toLocaleString('en-US')}-event stream`)
    .join(', ');
  return [
    `  Reads per case (warm alone, strict hit, bounded hit, miss, Redis down): ${reads}; ${scale.warmupReads} untimed first.`,
    '  Redis down: a strict tiered store whose hot tier points at a loopback port nothing listens on.',
    `  Appends per case (warm alone, tiered with a hot copy, tiered without): ${scale.appends} over ` +
      `${scale.appendStreams} streams each.`,
    '  Hot tier: Redis under a random key prefix (deleted at the end), TTL 600 s, call timeout 1 s;',
    '  bounded reads use the default maxStalenessMs (1,000). Warm stores: their defaults, own schema or prefix.',
    ...(scale.name === 'quick'
      ? ['  --quick: fewer reads and appends; a smoke test, not a measurement.']
      : []),
  ].join('\n');
}
