import type { WorkloadResult } from './bench-runner.js';
import { relativeSpread, type SampleSummary } from './median-stats.js';
import { formatTextTable, type TextColumn } from './text-table.js';

const COLUMNS: readonly TextColumn<WorkloadResult>[] = [
  { header: 'Target', align: 'left', cell: (r) => r.targetLabel },
  { header: 'Workload', align: 'left', cell: (r) => r.workload },
  { header: 'Adapter ev/s', align: 'right', cell: (r) => formatRate(r.adapter) },
  { header: 'Raw ev/s', align: 'right', cell: (r) => (r.raw === undefined ? '-' : formatRate(r.raw)) },
  {
    header: 'Raw ref',
    align: 'right',
    cell: (r) => (r.rawReference === undefined ? '' : formatCount(r.rawReference)),
  },
  { header: 'Ratio', align: 'right', cell: (r) => (r.ratio === undefined ? '-' : formatRatio(r.ratio)) },
  { header: 'Goal', align: 'right', cell: (r) => (r.goal === undefined ? '' : `>=${formatRatio(r.goal)}`) },
  { header: 'Result', align: 'left', cell: (r) => (r.pass === undefined ? '' : r.pass ? 'pass' : 'MISS') },
  {
    header: 'Minimal ev/s',
    align: 'right',
    cell: (r) => (r.minimal === undefined ? '-' : formatRate(r.minimal)),
  },
  {
    header: 'vs minimal',
    align: 'right',
    cell: (r) => (r.minimalRatio === undefined ? '-' : formatRatio(r.minimalRatio)),
  },
];

/** Shown only when a target in the run has a floor baseline, so other runs' tables stay as they were. */
const FLOOR_COLUMNS: readonly TextColumn<WorkloadResult>[] = [
  { header: 'Floor ev/s', align: 'right', cell: (r) => (r.floor === undefined ? '-' : formatRate(r.floor)) },
  {
    header: 'vs floor',
    align: 'right',
    cell: (r) => (r.floorRatio === undefined ? '-' : formatRatio(r.floorRatio)),
  },
];

/** The results as an aligned plain-text table, one row per target and workload. */
export function formatResultsTable(results: readonly WorkloadResult[]): string {
  // A blank line between targets keeps each target's block readable.
  const columns = results.some((r) => r.floor !== undefined) ? [...COLUMNS, ...FLOOR_COLUMNS] : COLUMNS;
  return formatTextTable(columns, results, (result) => result.target);
}

/** One line per judged result that missed its goal; empty when every goal was met. */
export function formatMisses(results: readonly WorkloadResult[]): string[] {
  return results
    .filter((r) => r.pass === false)
    .map(
      (r) =>
        `${r.targetLabel} ${r.workload}: ${formatRatio(r.ratio ?? 0)} < goal ${formatRatio(r.goal ?? 0)}`,
    );
}

/**
 * One line per result with an issue-12 target, `PASS` or `MISS` with the numbers: the goals of the
 * work to come, reported beside the run's own goals and never failing it.
 */
export function formatMinimalTargets(results: readonly WorkloadResult[]): string[] {
  return results
    .filter((r) => r.minimalPass !== undefined)
    .map((r) => {
      const target = r.minimalTarget ?? 0;
      const line =
        `${r.minimalPass ? 'PASS' : 'MISS'} ${r.targetLabel} ${r.workload}: ` +
        `${formatRatio(r.minimalRatio ?? 0)} of the minimal store (target >=${formatRatio(target)})`;
      // The issue restates a target against the floor that the contract sets, in the same run.
      if (r.floorRatio === undefined) return line;
      const met = r.floorRatio >= target;
      // Two decimals can round a ratio just short of the target up to it: show three then.
      const rounded = Number(r.floorRatio.toFixed(2)) >= target;
      const shown = rounded === met ? formatRatio(r.floorRatio) : `${r.floorRatio.toFixed(3)}x`;
      return `${line}; ${shown} of the floor: ${met ? 'met' : 'short'} against the floor`;
    });
}

export function formatRate(summary: SampleSummary): string {
  return `${formatCount(summary.median)} ±${Math.round(relativeSpread(summary) * 100)}%`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}
