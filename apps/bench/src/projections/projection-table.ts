import { relativeSpread, summarize } from '../median-stats.js';
import { formatTextTable, type TextColumn } from '../text-table.js';
import { APPEND_CASES, CASE_LABELS } from './projection-cases.js';
import type { ProjectionComparison } from './projection-goals.js';
import type { ProjectionRates } from './projection-measure.js';

interface Row {
  rates: ProjectionRates;
  comparison: ProjectionComparison | undefined;
  label: string;
}

const rate = (samples: readonly number[]) => {
  const summary = summarize(samples);
  const spread = Math.round(relativeSpread(summary) * 100);
  return `${Math.round(summary.median).toLocaleString('en-US')} ±${spread}%`;
};

const isAppend = (row: Row) => (APPEND_CASES as readonly string[]).includes(row.rates.projectionCase);

const COLUMNS: readonly TextColumn<Row>[] = [
  { header: 'Target', align: 'left', cell: (r) => r.label },
  { header: 'Case', align: 'left', cell: (r) => CASE_LABELS[r.rates.projectionCase] },
  { header: 'Events/s', align: 'right', cell: (r) => rate(r.rates.eventsPerSecond) },
  {
    header: 'vs baseline',
    align: 'right',
    cell: (r) => (r.comparison === undefined ? '-' : `${r.comparison.ratio.toFixed(2)}x`),
  },
  {
    header: 'Added per append',
    align: 'right',
    cell: (r) => (r.comparison?.added === undefined ? '-' : `${(r.comparison.added * 100).toFixed(1)}%`),
  },
  {
    header: 'vs floor',
    align: 'right',
    cell: (r) => (r.comparison?.floorRatio === undefined ? '-' : `${r.comparison.floorRatio.toFixed(2)}x`),
  },
  {
    header: 'Added over floor',
    align: 'right',
    cell: (r) =>
      r.comparison?.addedOverFloor === undefined ? '-' : `${(r.comparison.addedOverFloor * 100).toFixed(1)}%`,
  },
];

/** One row per target and case, projections then appends, grouped by target. */
export function formatProjectionTable(
  rates: readonly ProjectionRates[],
  comparisons: readonly ProjectionComparison[],
  labels: ReadonlyMap<string, string>,
): string {
  const rows = rates.map((r) => ({
    rates: r,
    label: labels.get(r.target) ?? r.target,
    comparison: comparisons.find((c) => c.target === r.target && c.projectionCase === r.projectionCase),
  }));
  return formatTextTable(COLUMNS, rows, (r) => `${r.rates.target} ${isAppend(r) ? 'append' : 'project'}`);
}
