import type { BenchArgs } from '../cli-args.js';
import { probeTargets, selectByKeys } from '../target-registry.js';
import { inventoryRegistry } from './bench-inventory.js';
import { type LoadCaseResult, measureLoads, type SeededSnapshot } from './load-latency.js';
import { measureSaves, type SaveCaseResult } from './save-cost.js';
import {
  type BenchLocation,
  SNAPSHOT_BACKENDS,
  type SnapshotBackend,
  snapshotBackendKeys,
} from './snapshot-backends.js';
import {
  formatSnapshotGoal,
  judgeSnapshotGoals,
  SNAPSHOT_GOALS,
  type SnapshotGoalResult,
} from './snapshot-goals.js';
import { SNAPSHOT_FULL_SCALE, SNAPSHOT_QUICK_SCALE, type SnapshotScale } from './snapshot-scale.js';
import { formatLoadTable, formatSaveTable, formatSeededSnapshot } from './snapshot-table.js';

const LOAD_LEGEND = [
  'p50/p99/max: latency of one AggregateRepository.load of the whole aggregate, in ms. Speed-up: the',
  "load without the snapshots option's p50 over the load from the snapshot's. Diagnostics, not judged:",
  "the snapshot store's loadSnapshot alone (its query and JSON parse); the snapshotter's restore (that,",
  'then gunzip and decoding); readStream of the events after the snapshot (none: it is at the head).',
  'What a load from the snapshot takes beyond restore and that read is the repository itself.',
].join('\n');

const SAVE_LEGEND = [
  "Saves: repository.save of one event on an aggregate loaded once; p50/p99/max are the caller's wait.",
  'Overhead p50: against snapshots off in the same mode. Snapshots: written per save (everyNEvents(1);',
  'back to back, a save that finds the previous snapshot still being written takes none). Write p50/p99:',
  "the background write itself (gzip and the store's write), from the snapshotter's `written` events.",
  'isolated: flush() awaited, untimed, before each save. No goal: reported only.',
].join('\n');

export interface SnapshotTargetRun {
  target: string;
  /** Where its data lived; all of it was deleted at the end. */
  locations: readonly BenchLocation[];
  /** What the event store reported besides its answers (the tiered store's hot tier). */
  health: string | undefined;
  seconds: number;
}

export interface SnapshotReport {
  scale: SnapshotScale;
  loads: LoadCaseResult[];
  seeded: SeededSnapshot[];
  saves: SaveCaseResult[];
  goals: SnapshotGoalResult[];
  runs: SnapshotTargetRun[];
  skipped: { target: string; reason: string }[];
  misses: string[];
}

export function snapshotBackends(args: BenchArgs): SnapshotBackend[] {
  return selectByKeys(SNAPSHOT_BACKENDS, args.targets, snapshotBackendKeys);
}

/**
 * Load latency of an aggregate with and without a snapshot, and what snapshotting adds to a save,
 * on every selected target. Each target's data lives under objects of its own, deleted at the end.
 */
export async function runSnapshotSuite(args: BenchArgs): Promise<SnapshotReport> {
  const base = args.quick ? SNAPSHOT_QUICK_SCALE : SNAPSHOT_FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, rounds: args.runs };
  const { runnable, skipped } = await probeTargets(snapshotBackends(args));

  console.log(`\n## Snapshots: ${scale.name} scale, ${scale.rounds} interleaved rounds, latency percentiles`);
  console.log(describe(scale));
  for (const { target, reason } of skipped) console.log(`  ${target.name}: NOT RUN: ${reason}`);
  console.log('\nRunning (every round runs one block of each case, the order rotated each round):');

  const registry = inventoryRegistry();
  const loads: LoadCaseResult[] = [];
  const seeded: SeededSnapshot[] = [];
  const saves: SaveCaseResult[] = [];
  const runs: SnapshotTargetRun[] = [];
  for (const backend of runnable) {
    const started = performance.now();
    const open = await backend.open();
    try {
      const measured = await measureLoads(open, backend.name, registry, scale);
      loads.push(...measured.loads);
      seeded.push(...measured.seeded);
      saves.push(...(await measureSaves(open, backend.name, registry, scale)));
    } finally {
      await open.cleanup();
    }
    const seconds = (performance.now() - started) / 1000;
    runs.push({ target: backend.name, locations: open.locations, health: open.health(), seconds });
    console.log(`  ${backend.name}: done (${seconds.toFixed(1)} s)`);
  }

  const labels = new Map(runnable.map((b) => [b.name, b.label]));
  const goals = judgeSnapshotGoals(
    runnable.map((b) => ({ name: b.name, label: b.label })),
    loads,
  );
  if (loads.length > 0) {
    console.log(`\n${formatLoadTable(loads, labels)}\n`);
    console.log(LOAD_LEGEND);
    console.log(
      '\nSnapshots loaded from (state as encoded by the registry, then compressed by the default):',
    );
    for (const s of seeded) console.log(`  ${formatSeededSnapshot(s, labels)}`);
    console.log(`\n${formatSaveTable(saves, labels)}\n`);
    console.log(SAVE_LEGEND);
  }
  for (const backend of runnable) if (backend.note !== undefined) console.log(`\nNote: ${backend.note}`);
  for (const run of runs) {
    if (run.health !== undefined) console.log(`${labels.get(run.target)}: ${run.health}`);
  }
  if (goals.length > 0)
    console.log(`\nSnapshot goals:\n${goals.map((g) => `  ${formatSnapshotGoal(g)}`).join('\n')}`);
  for (const { target, reason } of skipped) console.log(`Not run: ${target.name}: ${reason}`);
  return {
    scale,
    loads,
    seeded,
    saves,
    goals,
    runs,
    skipped: skipped.map(({ target, reason }) => ({ target: target.name, reason })),
    misses: goals.filter((g) => !g.pass).map(formatSnapshotGoal),
  };
}

function describe(scale: SnapshotScale): string {
  const loads = scale.sizes
    .map((size) => `${scale.loads[size]} of a ${size.toLocaleString('en-US')}-event aggregate`)
    .join(', ');
  return [
    `  Loads per case (without the snapshots option, from a snapshot at the head): ${loads}; ` +
      `${scale.warmupLoads} untimed first.`,
    '  The aggregate: a stock ledger, ~200-byte events (seeded through the store in appends of ' +
      `${scale.seedBatch}), a ~1.1 KiB state with a 64-entry map, snapshot written with snapshotter.write.`,
    `  Saves per case and mode (snapshots off, everyNEvents(1)): ${scale.saves}, one event each, ` +
      `on an aggregate of ${scale.saveStreamEvents} events loaded once.`,
    `  Goal: at ${SNAPSHOT_GOALS.speedupSize.toLocaleString('en-US')} events, the load from a snapshot at least ` +
      `${SNAPSHOT_GOALS.speedup}x faster at p50, on every target.`,
    ...(scale.name === 'quick' ? ['  --quick: fewer loads and saves; a smoke test, not a measurement.'] : []),
  ].join('\n');
}
