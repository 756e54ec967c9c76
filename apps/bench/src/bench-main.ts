import { fileURLToPath } from 'node:url';
import { parseBenchArgs, USAGE } from './cli-args.js';
import { PROJECTION_BACKENDS, projectionBackendKeys } from './projections/projection-backends.js';
import { type ProjectionReport, runProjectionSuite } from './projections/projection-suite.js';
import { currentLoad, machineInfo, writeResultsFile } from './results-file.js';
import { SNAPSHOT_BACKENDS, snapshotBackendKeys } from './snapshots/snapshot-backends.js';
import { runSnapshotSuite, type SnapshotReport } from './snapshots/snapshot-suite.js';
import { assertKnownTargets, TARGETS, targetKeys } from './target-registry.js';
import { runThroughputSuite, type ThroughputReport } from './throughput-suite.js';
import { runTieredSuite, type TieredReport } from './tiered/tiered-suite.js';
import { TIERED_BACKENDS, tieredBackendKeys } from './tiered/tiered-warm-backends.js';
import { UsageError } from './usage-error.js';
import { WRAPPER_BACKENDS, wrapperBackendKeys } from './wrappers/wrapper-backends.js';
import { runWrapperSuite, type WrapperReport } from './wrappers/wrapper-suite.js';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  assertKnownTargets(args.targets, [
    ...(args.suites.includes('throughput') ? TARGETS.flatMap(targetKeys) : []),
    ...(args.suites.includes('tiered') ? TIERED_BACKENDS.flatMap(tieredBackendKeys) : []),
    ...(args.suites.includes('snapshots') ? SNAPSHOT_BACKENDS.flatMap(snapshotBackendKeys) : []),
    ...(args.suites.includes('wrappers') ? WRAPPER_BACKENDS.flatMap(wrapperBackendKeys) : []),
    ...(args.suites.includes('projections') ? PROJECTION_BACKENDS.flatMap(projectionBackendKeys) : []),
  ]);
  const machine = machineInfo();
  console.log(`Strata bench: ${args.suites.join(' and ')} suite${args.suites.length > 1 ? 's' : ''}`);
  console.log(`${machine.node}, ${machine.platform}, ${machine.cpus.count} x ${machine.cpus.model}`);
  const startLoad = currentLoad();
  console.log(`Load average at start: ${startLoad}${busyWarning(startLoad, machine.cpus.count)}`);

  const startedAt = new Date().toISOString();
  let throughput: ThroughputReport | undefined;
  let tiered: TieredReport | undefined;
  let snapshots: SnapshotReport | undefined;
  let wrappers: WrapperReport | undefined;
  let projections: ProjectionReport | undefined;
  if (args.suites.includes('throughput')) throughput = await runThroughputSuite(args);
  if (args.suites.includes('tiered')) tiered = await runTieredSuite(args);
  if (args.suites.includes('snapshots')) snapshots = await runSnapshotSuite(args);
  if (args.suites.includes('wrappers')) wrappers = await runWrapperSuite(args);
  if (args.suites.includes('projections')) projections = await runProjectionSuite(args);

  const endLoad = currentLoad();
  console.log(`\nLoad average at end: ${endLoad}${busyWarning(endLoad, machine.cpus.count)}`);
  const misses = [
    ...(throughput?.misses ?? []),
    ...(tiered?.misses ?? []),
    ...(snapshots?.misses ?? []),
    ...(wrappers?.misses ?? []),
    ...(projections?.misses ?? []),
  ];
  console.log(
    misses.length === 0 ? 'All goals met.' : `Missed goals:\n${misses.map((m) => `  ${m}`).join('\n')}`,
  );

  const path = await writeResultsFile(RESULTS_DIR, {
    startedAt,
    finishedAt: new Date().toISOString(),
    ...machine,
    argv: process.argv.slice(2),
    loadAverage: { start: startLoad, end: endLoad },
    throughput,
    tiered,
    snapshots,
    wrappers,
    projections,
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
