import { fileURLToPath } from 'node:url';
import { runBench, scaleFor } from './bench-runner.js';
import { FULL_SCALE, QUICK_SCALE, WARMUP_SCALE } from './bench-scale.js';
import { parseBenchArgs, USAGE } from './cli-args.js';
import { currentLoad, machineInfo, writeResultsFile } from './results-file.js';
import { formatMisses, formatResultsTable } from './results-table.js';
import { selectTargets, TARGETS } from './target-registry.js';
import { UsageError } from './usage-error.js';
import { WORKLOADS } from './workloads/workload-registry.js';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const base = args.quick ? QUICK_SCALE : FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, runs: args.runs };
  const targets = selectTargets(TARGETS, args.targets);
  const workloads = WORKLOADS.filter((w) => args.only.includes(w.id));
  const machine = machineInfo();

  console.log(`Strata bench: ${scale.name} scale, ${scale.runs} measured runs per side, medians of events/s`);
  console.log(`${machine.node}, ${machine.platform}, ${machine.cpus.count} x ${machine.cpus.model}`);
  const startLoad = currentLoad();
  console.log(`Load average at start: ${startLoad}${busyWarning(startLoad, machine.cpus.count)}`);
  console.log('\nWorkloads (each run on a fresh database; preloads and store opening are not timed):');
  for (const w of workloads) console.log(`  ${w.id} ${w.title}: ${w.describe(scale)}`);
  if (scale.name === 'quick')
    console.log('  --quick: smaller counts and fewer runs; a smoke test, not a measurement.');
  console.log('\nTargets:');
  for (const t of targets) {
    console.log(`  ${t.name}: ${t.label}; raw baseline: ${t.rawBaseline ?? 'none'}`);
    const own = scaleFor(t, scale);
    for (const w of workloads) {
      if (w.describe(own) !== w.describe(scale))
        console.log(`    scaled for this target: ${w.id} ${w.describe(own)}`);
    }
  }
  console.log('\nRunning (adapter and raw runs alternate: A R, R A, ...):');

  const startedAt = new Date().toISOString();
  const results = await runBench(targets, workloads, {
    scale,
    warmup: WARMUP_SCALE,
    onProgress: (line) => console.log(line),
  });

  const endLoad = currentLoad();
  console.log(`\n${formatResultsTable(results)}\n`);
  console.log('Rates are medians over the runs; "±" is half their min-max range.');
  console.log('Ratio = median over runs of adapter/raw in each back-to-back pair; 1.00x means the adapter');
  console.log(
    'adds nothing over the bare driver running the same SQL. "Raw ref": raw events/s measured earlier.',
  );
  console.log(`Load average at end: ${endLoad}${busyWarning(endLoad, machine.cpus.count)}`);
  for (const note of new Set(targets.flatMap((t) => t.notes))) console.log(`Note: ${note}`);
  const misses = formatMisses(results);
  console.log(
    misses.length === 0 ? 'All goals met.' : `Missed goals:\n${misses.map((m) => `  ${m}`).join('\n')}`,
  );

  const path = await writeResultsFile(RESULTS_DIR, {
    startedAt,
    finishedAt: new Date().toISOString(),
    ...machine,
    argv: process.argv.slice(2),
    loadAverage: { start: startLoad, end: endLoad },
    scale,
    results,
  });
  console.log(`Results written to ${path}`);
}

function busyWarning(load: number, cpuCount: number): string {
  return load > cpuCount / 2 ? ' (busy machine: rates are noisy; ratios hold up better than rates)' : '';
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
