import type { BenchArgs } from '../cli-args.js';
import type { BenchLocation } from '../snapshots/snapshot-backends.js';
import { probeTargets, selectByKeys } from '../target-registry.js';
import { WRAPPER_BACKENDS, type WrapperBackend, wrapperBackendKeys } from './wrapper-backends.js';
import { wrapperCaseStores } from './wrapper-cases.js';
import { ENCRYPTED_FIELDS } from './wrapper-events.js';
import {
  formatWrapperGoal,
  judgeWrapperGoals,
  type WrapperCost,
  type WrapperGoalResult,
  wrapperCosts,
} from './wrapper-goals.js';
import { measureWrappers, type WrapperRates } from './wrapper-measure.js';
import { WRAPPER_FULL_SCALE, WRAPPER_QUICK_SCALE, type WrapperScale } from './wrapper-scale.js';
import { formatWrapperTable } from './wrapper-table.js';

const LEGEND = [
  'Events/s: the median over the rounds of events appended or read per second by one block; ± is half',
  "the min-max range over the median. vs plain: per round, the case's rate over the plain store's in",
  'the same round, then the median of those; Cost = 1 - vs plain (negative: faster than plain, within',
  'noise). Upcasting cases read through one withUpcasting; "1 version old" and "2 versions old" read',
  'events stored at schema versions 2 and 1 (one and two upcasting steps). both: withUpcasting outside',
  'withEncryption, as documented. The composed case is two wrappers: reported, not judged.',
].join('\n');

export interface WrapperTargetRun {
  target: string;
  /** Where its data lived; all of it was deleted at the end. */
  locations: readonly BenchLocation[];
  seconds: number;
}

export interface WrapperReport {
  scale: WrapperScale;
  rates: WrapperRates[];
  costs: WrapperCost[];
  goals: WrapperGoalResult[];
  runs: WrapperTargetRun[];
  skipped: { target: string; reason: string }[];
  misses: string[];
}

export function wrapperBackends(args: BenchArgs): WrapperBackend[] {
  return selectByKeys(WRAPPER_BACKENDS, args.targets, wrapperBackendKeys);
}

/**
 * The throughput of `withUpcasting`, `withEncryption` and both, against the plain store in the same
 * rounds, on every selected target. Each target's data lives in objects of its own, deleted at the end.
 */
export async function runWrapperSuite(args: BenchArgs): Promise<WrapperReport> {
  const base = args.quick ? WRAPPER_QUICK_SCALE : WRAPPER_FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, rounds: args.runs };
  const { runnable, skipped } = await probeTargets(wrapperBackends(args));

  console.log(`\n## Wrappers: ${scale.name} scale, ${scale.rounds} interleaved rounds, events/s`);
  console.log(describe(scale));
  for (const { target, reason } of skipped) console.log(`  ${target.name}: NOT RUN: ${reason}`);
  console.log(
    '\nRunning (every round runs one block of each case, the order rotated each round and reversed every other one):',
  );

  const rates: WrapperRates[] = [];
  const runs: WrapperTargetRun[] = [];
  for (const backend of runnable) {
    const started = performance.now();
    const open = await backend.open();
    try {
      rates.push(...(await measureWrappers(backend.name, wrapperCaseStores(open.store), scale)));
    } finally {
      await open.cleanup();
    }
    const seconds = (performance.now() - started) / 1000;
    runs.push({ target: backend.name, locations: open.locations, seconds });
    console.log(`  ${backend.name}: done (${seconds.toFixed(1)} s)`);
  }

  const labels = new Map(runnable.map((b) => [b.name, b.label]));
  const costs = wrapperCosts(rates);
  const goals = judgeWrapperGoals(costs, labels);
  if (rates.length > 0) {
    console.log(`\n${formatWrapperTable(rates, costs, labels)}\n`);
    console.log(LEGEND);
  }
  if (goals.length > 0)
    console.log(`\nWrapper goals:\n${goals.map((g) => `  ${formatWrapperGoal(g)}`).join('\n')}`);
  for (const { target, reason } of skipped) console.log(`Not run: ${target.name}: ${reason}`);
  return {
    scale,
    rates,
    costs,
    goals,
    runs,
    skipped: skipped.map(({ target, reason }) => ({ target: target.name, reason })),
    misses: goals.filter((g) => !g.pass).map(formatWrapperGoal),
  };
}

function describe(scale: WrapperScale): string {
  return [
    `  Events: CustomerRegistered, about 300 bytes of JSON, ${ENCRYPTED_FIELDS.join(' and ')} encrypted ` +
      '(memory key store, a fixed test master key); current at schema version 3.',
    `  Per case and round: ${scale.appendsPerRound} single-event appends (exact expected version, over ` +
      `${scale.appendStreams} streams), ${scale.streamReadsPerRound[10]} readStream of a 10-event and ` +
      `${scale.streamReadsPerRound[100]} of a 100-event stream, ${scale.pagesPerRound} readAll ` +
      `page${scale.pagesPerRound > 1 ? 's' : ''} of ${scale.pageSize.toLocaleString('en-US')} over the case's own events.`,
    "  Goals (issue 11): each wrapper costs at most 25% of the plain store's throughput; upcasting " +
      'current events at most 5%.',
    ...(scale.name === 'quick'
      ? ['  --quick: fewer rounds and calls; a smoke test, not a measurement.']
      : []),
  ].join('\n');
}
