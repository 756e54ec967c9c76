import { median } from '../median-stats.js';
import { CASE_LABELS } from './projection-cases.js';
import type { MeasuredCase, ProjectionRates } from './projection-measure.js';

/** Issue 10's targets. */
export const BATCHED_MIN_RATIO = 0.5;
export const REALTIME_MAX_ADDED = 0.3;

/** The cases judged against `BATCHED_MIN_RATIO`; the one-upsert-per-event case is reported only. */
const JUDGED_PROJECTIONS: readonly MeasuredCase[] = ['batched', 'exactly-once'];
/**
 * The case judged against `REALTIME_MAX_ADDED`: the realtime projector. The bare hook, one row
 * and no checkpoint, is reported to show what the projector's own bookkeeping adds.
 */
const JUDGED_APPENDS: readonly MeasuredCase[] = ['realtime'];

/** A case against its baseline on the same target, round by round. */
export interface ProjectionComparison {
  target: string;
  projectionCase: MeasuredCase;
  /** Projection cases: the median over rounds of the case's rate over raw readAll's. */
  ratio: number;
  /** Append cases: the median over rounds of the time an append takes, over a plain one's, minus 1. */
  added?: number;
}

export interface ProjectionGoalResult {
  target: string;
  goal: string;
  measured: string;
  pass: boolean;
}

const BASELINES: Readonly<Record<MeasuredCase, MeasuredCase | undefined>> = {
  readAll: undefined,
  single: 'readAll',
  batched: 'readAll',
  'exactly-once': 'readAll',
  plain: undefined,
  hook: 'plain',
  realtime: 'plain',
};

/** Per round, the case's rate over its baseline's in that round; the median of those. */
export function projectionComparisons(rates: readonly ProjectionRates[]): ProjectionComparison[] {
  const comparisons: ProjectionComparison[] = [];
  for (const row of rates) {
    const baselineCase = BASELINES[row.projectionCase];
    if (baselineCase === undefined) continue;
    const baseline = rates.find((r) => r.target === row.target && r.projectionCase === baselineCase);
    if (baseline === undefined) continue;
    const perRound = row.eventsPerSecond.map((rate, round) => rate / baseline.eventsPerSecond[round]!);
    const comparison: ProjectionComparison = {
      target: row.target,
      projectionCase: row.projectionCase,
      ratio: median(perRound),
    };
    // Appends run one at a time, so an append's time is 1 / rate: the added time is plain / realtime - 1.
    if (baselineCase === 'plain') comparison.added = median(perRound.map((r) => 1 / r - 1));
    comparisons.push(comparison);
  }
  return comparisons;
}

const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

export function judgeProjectionGoals(
  comparisons: readonly ProjectionComparison[],
  labels: ReadonlyMap<string, string>,
): ProjectionGoalResult[] {
  const judged: ProjectionGoalResult[] = [];
  for (const c of comparisons) {
    const target = labels.get(c.target) ?? c.target;
    if (JUDGED_APPENDS.includes(c.projectionCase) && c.added !== undefined) {
      judged.push({
        target,
        goal: `${CASE_LABELS[c.projectionCase]}: adds at most ${percent(REALTIME_MAX_ADDED)} to an append`,
        measured: `adds ${percent(c.added)}`,
        pass: c.added <= REALTIME_MAX_ADDED,
      });
    } else if (JUDGED_PROJECTIONS.includes(c.projectionCase)) {
      judged.push({
        target,
        goal: `${CASE_LABELS[c.projectionCase]}: at least ${BATCHED_MIN_RATIO.toFixed(2)}x raw readAll`,
        measured: `${c.ratio.toFixed(2)}x`,
        pass: c.ratio >= BATCHED_MIN_RATIO,
      });
    }
  }
  return judged;
}

export function formatProjectionGoal(result: ProjectionGoalResult): string {
  return `${result.target}: ${result.goal}: ${result.measured}  ${result.pass ? 'PASS' : 'MISS'}`;
}
