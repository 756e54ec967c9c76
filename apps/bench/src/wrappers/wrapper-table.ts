import { relativeSpread, summarize } from '../median-stats.js';
import { formatTextTable, type TextColumn } from '../text-table.js';
import { CASE_LABELS } from './wrapper-cases.js';
import { WRAPPER_GOALS, type WrapperCost } from './wrapper-goals.js';
import type { WrapperRates } from './wrapper-measure.js';
import { MINIMAL_READ_GOAL, type MinimalReadRatio } from './wrapper-minimal-read-goal.js';

interface Row {
  rates: WrapperRates;
  cost: WrapperCost | undefined;
  /** For `withEncryption`'s reads: its rate over the minimal decrypting read's. */
  minimal: MinimalReadRatio | undefined;
  label: string;
}

const rate = (samples: readonly number[]) => {
  const summary = summarize(samples);
  const spread = Math.round(relativeSpread(summary) * 100);
  return `${Math.round(summary.median).toLocaleString('en-US')} ±${spread}%`;
};

const COLUMNS: readonly TextColumn<Row>[] = [
  { header: 'Target', align: 'left', cell: (r) => r.label },
  { header: 'Operation', align: 'left', cell: (r) => r.rates.operation },
  { header: 'Case', align: 'left', cell: (r) => CASE_LABELS[r.rates.wrapperCase] },
  { header: 'Events/s', align: 'right', cell: (r) => rate(r.rates.eventsPerSecond) },
  {
    header: 'vs plain',
    align: 'right',
    cell: (r) => (r.cost === undefined ? '-' : `${r.cost.ratio.toFixed(2)}x`),
  },
  {
    header: 'Cost',
    align: 'right',
    cell: (r) => (r.cost === undefined ? '-' : `${(r.cost.cost * 100).toFixed(1)}%`),
  },
  {
    header: 'Goal',
    align: 'right',
    cell: (r) => {
      const limit = WRAPPER_GOALS[r.rates.wrapperCase];
      return limit === undefined ? '-' : `<=${Math.round(limit * 100)}%`;
    },
  },
  {
    header: 'vs minimal decrypting read',
    align: 'right',
    cell: (r) =>
      r.minimal === undefined ? '-' : `${r.minimal.ratio.toFixed(2)}x (>=${MINIMAL_READ_GOAL.toFixed(2)}x)`,
  },
];

/** One row per target, operation and case, grouped by target and operation. */
export function formatWrapperTable(
  rates: readonly WrapperRates[],
  costs: readonly WrapperCost[],
  labels: ReadonlyMap<string, string>,
  minimal: readonly MinimalReadRatio[] = [],
): string {
  const rows = rates.map((r) => ({
    rates: r,
    label: labels.get(r.target) ?? r.target,
    cost: costs.find(
      (c) => c.target === r.target && c.operation === r.operation && c.wrapperCase === r.wrapperCase,
    ),
    minimal:
      r.wrapperCase === 'encryption'
        ? minimal.find((m) => m.target === r.target && m.operation === r.operation)
        : undefined,
  }));
  return formatTextTable(COLUMNS, rows, (r) => `${r.rates.target} ${r.rates.operation}`);
}
