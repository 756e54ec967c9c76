import { runBench, scaleFor, type WorkloadResult } from './bench-runner.js';
import { type BenchScale, FULL_SCALE, QUICK_SCALE, WARMUP_SCALE } from './bench-scale.js';
import type { BenchTarget } from './bench-target.js';
import type { BenchArgs } from './cli-args.js';
import { formatMinimalTargets, formatMisses, formatResultsTable } from './results-table.js';
import { formatScalingLine, judgeScaling, type ScalingResult } from './scaling-goals.js';
import { probeTargets, selectByKeys, targetKeys, throughputTargetsFor } from './target-registry.js';
import { WORKLOADS } from './workloads/workload-registry.js';

export interface ThroughputReport {
  scale: BenchScale;
  results: WorkloadResult[];
  scaling: ScalingResult[];
  /** Targets selected but not run, with the reason (e.g. their server was unreachable). */
  skipped: { target: string; reason: string }[];
  /** One line per missed goal. */
  misses: string[];
  /** Issue 12's targets against the minimal store, `PASS` or `MISS` per line: reported, not goals of this run. */
  minimalTargets: string[];
}

export function throughputTargets(args: BenchArgs): BenchTarget[] {
  return selectByKeys(throughputTargetsFor({ partitions: args.partitions }), args.targets, targetKeys);
}

/** W1-W5 on every selected target, adapter against raw, printed as one table. */
export async function runThroughputSuite(args: BenchArgs): Promise<ThroughputReport> {
  const base = args.quick ? QUICK_SCALE : FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, runs: args.runs };
  const { runnable: targets, skipped } = await probeTargets(throughputTargets(args));
  const workloads = WORKLOADS.filter((w) => args.only.includes(w.id));

  console.log(
    `\n## Throughput: ${scale.name} scale, ${scale.runs} measured runs per side, medians of events/s`,
  );
  console.log('\nWorkloads (each run on a fresh database; preloads and store opening are not timed):');
  for (const w of workloads) console.log(`  ${w.id} ${w.title}: ${w.describe(scale)}`);
  if (scale.name === 'quick')
    console.log('  --quick: smaller counts and fewer runs; a smoke test, not a measurement.');
  console.log('\nTargets:');
  for (const { target, reason } of skipped) console.log(`  ${target.name}: NOT RUN: ${reason}`);
  for (const t of targets) {
    console.log(`  ${t.name}: ${t.label}; raw baseline: ${t.rawBaseline ?? 'none'}`);
    if (t.minimal !== undefined) console.log(`    minimal store: ${t.minimal.description}`);
    if (t.floor !== undefined) console.log(`    floor: ${t.floor.description}`);
    const own = scaleFor(t, scale);
    for (const w of workloads) {
      if (w.describe(own) !== w.describe(scale))
        console.log(`    scaled for this target: ${w.id} ${w.describe(own)}`);
    }
  }
  console.log('\nRunning (adapter, raw and minimal runs alternate: A R M, M R A, ...):');

  const results = await runBench(targets, workloads, {
    scale,
    warmup: WARMUP_SCALE,
    onProgress: (line) => console.log(line),
  });

  console.log(`\n${formatResultsTable(results)}\n`);
  console.log('Rates are medians over the runs; "±" is half their min-max range.');
  console.log('Ratio = median over runs of adapter/raw in each back-to-back pair; 1.00x means the adapter');
  console.log('adds nothing over the raw baseline. "Raw ref": raw events/s measured earlier.');
  console.log('vs minimal = the same for adapter/minimal: the minimal hand-written event store of issue 12');
  console.log('(one table or key layout, no event-id or type index, no streams table, no gap-safe readAll).');
  if (results.some((r) => r.floor !== undefined))
    console.log(
      'vs floor = the same for adapter/floor: the minimal store plus what the contract needs (see Targets).',
    );
  for (const note of new Set(targets.flatMap((t) => t.notes))) console.log(`Note: ${note}`);
  const scaling = judgeScaling(targets, results);
  if (scaling.length > 0)
    console.log(`\nScaling goals:\n${scaling.map((s) => `  ${formatScalingLine(s)}`).join('\n')}`);
  const minimalTargets = formatMinimalTargets(results);
  if (minimalTargets.length > 0) {
    console.log('\nMinimal-store targets (issue 12; reported, they do not fail this run):');
    for (const line of minimalTargets) console.log(`  ${line}`);
  }
  for (const { target, reason } of skipped) console.log(`Not run: ${target.name}: ${reason}`);
  return {
    scale,
    results,
    scaling,
    skipped: skipped.map(({ target, reason }) => ({ target: target.name, reason })),
    misses: [...formatMisses(results), ...scaling.filter((s) => !s.pass).map(formatScalingLine)],
    minimalTargets,
  };
}
