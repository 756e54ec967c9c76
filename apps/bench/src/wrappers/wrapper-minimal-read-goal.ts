import { median } from '../median-stats.js';
import type { WrapperGoalResult } from './wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from './wrapper-measure.js';

/**
 * Issue 11's encryption read goal restated against the minimal decrypting read, the floor of
 * field-level decryption over a JSON column: `withEncryption`'s read throughput at least this
 * share of it, i.e. its time per event within 1.25x of the floor's.
 */
export const MINIMAL_READ_GOAL = 0.8;

/** One encryption read against the minimal decrypting read of the same rows. */
export interface MinimalReadRatio {
  target: string;
  operation: WrapperOperation;
  /** Per round, `withEncryption`'s rate over the minimal decrypting read's; the median of those. */
  ratio: number;
}

/** For each read of each target where both ran, `withEncryption` against the minimal decrypting read. */
export function minimalReadRatios(rates: readonly WrapperRates[]): MinimalReadRatio[] {
  const ratios: MinimalReadRatio[] = [];
  for (const row of rates) {
    if (row.wrapperCase !== 'encryption' || row.operation === 'append') continue;
    const floor = rates.find(
      (r) =>
        r.target === row.target && r.operation === row.operation && r.wrapperCase === 'minimal-decryption',
    );
    if (floor === undefined) continue;
    const ratio = median(row.eventsPerSecond.map((rate, round) => rate / floor.eventsPerSecond[round]!));
    ratios.push({ target: row.target, operation: row.operation, ratio });
  }
  return ratios;
}

/** Each encryption read judged against `MINIMAL_READ_GOAL`. */
export function judgeMinimalReadGoals(
  ratios: readonly MinimalReadRatio[],
  labels: ReadonlyMap<string, string>,
): WrapperGoalResult[] {
  return ratios.map((r) => ({
    target: labels.get(r.target) ?? r.target,
    goal: `${r.operation}, withEncryption (2 fields): at least ${MINIMAL_READ_GOAL.toFixed(2)}x of the minimal decrypting read of the same rows`,
    measured: `${r.ratio.toFixed(2)}x of the minimal read`,
    pass: r.ratio >= MINIMAL_READ_GOAL,
  }));
}
