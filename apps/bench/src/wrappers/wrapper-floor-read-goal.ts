import { median } from '../median-stats.js';
import { CASE_LABELS, type WrapperCase } from './wrapper-cases.js';
import type { WrapperGoalResult } from './wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from './wrapper-measure.js';

/**
 * Issue 11's read goals restated against a floor where 25% of the plain store is below what the
 * work itself costs: the wrapper's read throughput at least this share of the floor read's over
 * the same rows, i.e. its time per event within 1.25x of the floor's.
 */
export const FLOOR_READ_GOAL = 0.8;

/** A wrapper's read and the yardstick case that is its floor: the least work that read must do. */
interface FloorRead {
  wrapperCase: WrapperCase;
  floorCase: WrapperCase;
  /** How the measured ratio names the floor. */
  short: string;
}

export const FLOOR_READS: readonly FloorRead[] = [
  // Field-level decryption over a JSON column cannot do less than the minimal decrypting read.
  { wrapperCase: 'encryption', floorCase: 'minimal-decryption', short: 'the minimal read' },
  // Upcasting old events cannot avoid running the user's upcasters on each.
  { wrapperCase: 'upcasting-2-old', floorCase: 'upcasters-by-hand', short: 'the upcasters by hand' },
];

/** One wrapper's read against its floor read of the same rows. */
export interface FloorReadRatio {
  target: string;
  operation: WrapperOperation;
  wrapperCase: WrapperCase;
  /** Per round, the wrapper's rate over its floor read's; the median of those. */
  ratio: number;
}

/** For each read of each target where both ran, each floored wrapper against its floor read. */
export function floorReadRatios(rates: readonly WrapperRates[]): FloorReadRatio[] {
  const ratios: FloorReadRatio[] = [];
  for (const row of rates) {
    const pair = FLOOR_READS.find((p) => p.wrapperCase === row.wrapperCase);
    if (pair === undefined || row.operation === 'append') continue;
    const floor = rates.find(
      (r) => r.target === row.target && r.operation === row.operation && r.wrapperCase === pair.floorCase,
    );
    if (floor === undefined) continue;
    const ratio = median(row.eventsPerSecond.map((rate, round) => rate / floor.eventsPerSecond[round]!));
    ratios.push({ target: row.target, operation: row.operation, wrapperCase: row.wrapperCase, ratio });
  }
  return ratios;
}

/** Each floored read judged against `FLOOR_READ_GOAL`. */
export function judgeFloorReadGoals(
  ratios: readonly FloorReadRatio[],
  labels: ReadonlyMap<string, string>,
): WrapperGoalResult[] {
  return ratios.map((r) => {
    const pair = FLOOR_READS.find((p) => p.wrapperCase === r.wrapperCase)!;
    return {
      target: labels.get(r.target) ?? r.target,
      goal: `${r.operation}, ${CASE_LABELS[r.wrapperCase]}: at least ${FLOOR_READ_GOAL.toFixed(2)}x of the ${CASE_LABELS[pair.floorCase]} of the same rows`,
      measured: `${r.ratio.toFixed(2)}x of ${pair.short}`,
      pass: r.ratio >= FLOOR_READ_GOAL,
    };
  });
}
