import { relativeSpread, summarize } from '../median-stats.js';
import { formatTextTable, type TextColumn } from '../text-table.js';
import { CASE_LABELS } from './wrapper-cases.js';
import { FLOOR_READ_GOAL, type FloorReadRatio } from './wrapper-floor-read-goal.js';
import { WRAPPER_GOALS, type WrapperCost } from './wrapper-goals.js';
import type { WrapperRates } from './wrapper-measure.js';

interface Row {
  rates: WrapperRates;
  cost: WrapperCost | undefined;
  /** For a read judged against a floor read (the minimal decrypting read, the upcasters by hand): its rate over the floor's. */
  floor: FloorReadRatio | undefined;
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
    header: 'vs floor read',
    align: 'right',
    cell: (r) =>
      r.floor === undefined ? '-' : `${r.floor.ratio.toFixed(2)}x (>=${FLOOR_READ_GOAL.toFixed(2)}x)`,
  },
];

/** One row per target, operation and case, grouped by target and operation. */
export function formatWrapperTable(
  rates: readonly WrapperRates[],
  costs: readonly WrapperCost[],
  labels: ReadonlyMap<string, string>,
  floor: readonly FloorReadRatio[] = [],
): string {
  const rows = rates.map((r) => ({
    rates: r,
    label: labels.get(r.target) ?? r.target,
    cost: costs.find(
      (c) => c.target === r.target && c.operation === r.operation && c.wrapperCase === r.wrapperCase,
    ),
    floor: floor.find(
      (f) => f.target === r.target && f.operation === r.operation && f.wrapperCase === r.wrapperCase,
    ),
  }));
  return formatTextTable(COLUMNS, rows, (r) => `${r.rates.target} ${r.rates.operation}`);
}
