import { median } from '../median-stats.js';
import { CASE_LABELS, type WrapperCase } from './wrapper-cases.js';
import type { WrapperOperation, WrapperRates } from './wrapper-measure.js';

/**
 * Issue 11's targets, as the most of the plain store's throughput a wrapper may cost. The composed
 * case is two wrappers: reported, not judged.
 */
export const WRAPPER_GOALS: Readonly<Partial<Record<WrapperCase, number>>> = {
  upcasting: 0.05,
  'upcasting-1-old': 0.25,
  'upcasting-2-old': 0.25,
  encryption: 0.25,
};

/** A case's cost against the plain store: 1 - its rate over the plain store's, in the same round. */
export interface WrapperCost {
  target: string;
  operation: WrapperOperation;
  wrapperCase: WrapperCase;
  /** The median over the rounds of that round's rate over the plain store's. */
  ratio: number;
  /** `1 - ratio`: the share of the plain store's throughput the wrapper costs; negative if faster. */
  cost: number;
}

export interface WrapperGoalResult {
  target: string;
  goal: string;
  measured: string;
  pass: boolean;
}

/** Per round, the case's rate over the plain store's in that round; the median of those. */
export function wrapperCosts(rates: readonly WrapperRates[]): WrapperCost[] {
  const costs: WrapperCost[] = [];
  for (const row of rates) {
    if (row.wrapperCase === 'plain') continue;
    const plain = rates.find(
      (r) => r.target === row.target && r.operation === row.operation && r.wrapperCase === 'plain',
    );
    if (plain === undefined) continue;
    const ratio = median(row.eventsPerSecond.map((rate, round) => rate / plain.eventsPerSecond[round]!));
    costs.push({
      target: row.target,
      operation: row.operation,
      wrapperCase: row.wrapperCase,
      ratio,
      cost: 1 - ratio,
    });
  }
  return costs;
}

const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

/** Every judged case of every operation: its cost at most the case's goal. */
export function judgeWrapperGoals(
  costs: readonly WrapperCost[],
  labels: ReadonlyMap<string, string>,
): WrapperGoalResult[] {
  const judged: WrapperGoalResult[] = [];
  for (const c of costs) {
    const limit = WRAPPER_GOALS[c.wrapperCase];
    if (limit === undefined) continue;
    judged.push({
      target: labels.get(c.target) ?? c.target,
      goal: `${c.operation}, ${CASE_LABELS[c.wrapperCase]}: costs at most ${percent(limit)} of the plain store's throughput`,
      measured: `${c.ratio.toFixed(2)}x of plain = ${percent(c.cost)}`,
      // On the ratio: `1 - 0.95` is a hair above 0.05 in floating point, and would miss at the limit.
      pass: c.ratio >= 1 - limit,
    });
  }
  return judged;
}

export function formatWrapperGoal(result: WrapperGoalResult): string {
  return `${result.target}: ${result.goal}: ${result.measured}  ${result.pass ? 'PASS' : 'MISS'}`;
}
