import { describe, expect, it } from 'vitest';
import {
  formatProjectionGoal,
  judgeProjectionGoals,
  projectionComparisons,
} from '../src/projections/projection-goals.js';
import type { MeasuredCase, ProjectionRates } from '../src/projections/projection-measure.js';

const rates = (
  projectionCase: MeasuredCase,
  eventsPerSecond: number[],
  target = 'sqlite',
): ProjectionRates => ({
  target,
  projectionCase,
  eventsPerSecond,
  eventsPerBlock: 100,
});

const labels = new Map([['sqlite', 'SQLite']]);

describe('projectionComparisons', () => {
  it('divides each round by its baseline in the same round, then takes the median', () => {
    // batched over readAll: 0.5, 0.1 (a burst of load on one block), 0.6: median 0.5.
    const comparisons = projectionComparisons([
      rates('readAll', [1_000, 2_000, 500]),
      rates('batched', [500, 200, 300]),
    ]);
    expect(comparisons).toEqual([{ target: 'sqlite', projectionCase: 'batched', ratio: 0.5 }]);
  });

  it("turns an append case's rate into the time it adds to an append", () => {
    // Rates 1,000 plain vs 800 realtime: each append takes 1.25x as long, 25% added.
    const [comparison] = projectionComparisons([
      rates('plain', [1_000, 1_000]),
      rates('realtime', [800, 800]),
    ]);
    expect(comparison!.ratio).toBeCloseTo(0.8, 10);
    expect(comparison!.added).toBeCloseTo(0.25, 10);
  });

  it('compares only within one target, and has no row for a baseline', () => {
    const comparisons = projectionComparisons([
      rates('readAll', [100]),
      rates('single', [10]),
      rates('single', [10], 'postgres'),
    ]);
    expect(comparisons.map((c) => [c.target, c.projectionCase, c.ratio])).toEqual([
      ['sqlite', 'single', 0.1],
    ]);
  });
});

describe('judgeProjectionGoals', () => {
  it('holds batched projections, exactly once or not, to 0.5x raw readAll and the realtime projector to 30% per append', () => {
    const judged = (projectionCase: MeasuredCase, ratio: number, added?: number) =>
      judgeProjectionGoals([{ target: 'sqlite', projectionCase, ratio, added }], labels)[0]?.pass;
    expect(judged('batched', 0.5)).toBe(true);
    expect(judged('batched', 0.49)).toBe(false);
    expect(judged('exactly-once', 0.5)).toBe(true);
    expect(judged('exactly-once', 0.49)).toBe(false);
    expect(judged('realtime', 0.77, 0.3)).toBe(true);
    expect(judged('realtime', 0.76, 0.31)).toBe(false);
  });

  it('reports the one-upsert-per-event case without judging it', () => {
    expect(
      judgeProjectionGoals([{ target: 'sqlite', projectionCase: 'single', ratio: 0.01 }], labels),
    ).toEqual([]);
  });

  it('prints the target, the goal, the numbers and PASS or MISS', () => {
    const [result] = judgeProjectionGoals(
      [{ target: 'sqlite', projectionCase: 'realtime', ratio: 0.5, added: 1 }],
      labels,
    );
    expect(formatProjectionGoal(result!)).toBe(
      'SQLite: append + realtime projector, one row: adds at most 30.0% to an append: adds 100.0%  MISS',
    );
  });
});
