import type { WorkloadResult } from './bench-runner.js';
import { relativeSpread, type SampleSummary } from './median-stats.js';

interface Column {
  header: string;
  align: 'left' | 'right';
  cell(result: WorkloadResult): string;
}

const COLUMNS: readonly Column[] = [
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
];

/** The results as an aligned plain-text table, one row per target and workload. */
export function formatResultsTable(results: readonly WorkloadResult[]): string {
  const rows = results.map((result) => COLUMNS.map((column) => column.cell(result)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (COLUMNS[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const header = line(COLUMNS.map((column) => column.header));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body: string[] = [];
  results.forEach((result, i) => {
    // A blank line between targets keeps each target's block readable.
    if (i > 0 && results[i - 1]!.target !== result.target) body.push('');
    body.push(line(rows[i]!));
  });
  return [header, rule, ...body].join('\n');
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

export function formatRate(summary: SampleSummary): string {
  return `${formatCount(summary.median)} ±${Math.round(relativeSpread(summary) * 100)}%`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}
