import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ProjectionReport } from './projections/projection-suite.js';
import type { SnapshotReport } from './snapshots/snapshot-suite.js';
import type { ThroughputReport } from './throughput-suite.js';
import type { TieredReport } from './tiered/tiered-suite.js';
import type { WrapperReport } from './wrappers/wrapper-suite.js';

export interface ResultsDocument {
  startedAt: string;
  finishedAt: string;
  node: string;
  platform: string;
  cpus: { count: number; model: string };
  argv: string[];
  /** 1-minute load averages when the run started and ended: other work on the machine skews rates. */
  loadAverage: { start: number; end: number };
  /** Each suite's scale, every sample, goals and skipped targets; absent when the suite did not run. */
  throughput: ThroughputReport | undefined;
  tiered: TieredReport | undefined;
  snapshots: SnapshotReport | undefined;
  wrappers: WrapperReport | undefined;
  projections: ProjectionReport | undefined;
}

/** Writes `<dir>/<timestamp>.json` and returns its path. Bigints never reach here: rates are numbers. */
export async function writeResultsFile(dir: string, document: ResultsDocument): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = document.startedAt.replace(/[:.]/g, '-');
  const path = join(dir, `${stamp}.json`);
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

export function machineInfo(): Pick<ResultsDocument, 'node' | 'platform' | 'cpus'> {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: { count: list.length, model: list[0]?.model ?? 'unknown' },
  };
}

/** The 1-minute load average, rounded for printing. */
export function currentLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
