import { describe, expect, it } from 'vitest';
import {
  formatProjectionGoal,
  judgeProjectionGoals,
  type ProjectionComparison,
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

  it('compares the async cases with the async floor and the realtime projector with the bare hook', () => {
    const [batched, realtime] = projectionComparisons([
      rates('readAll', [1_000, 1_000, 1_000]),
      rates('floor', [500, 400, 600]),
      rates('batched', [450, 200, 300]),
      rates('plain', [1_000, 1_000, 1_000]),
      rates('hook', [800, 500, 800]),
      rates('realtime', [640, 400, 400]),
    ]).filter((c) => c.projectionCase === 'batched' || c.projectionCase === 'realtime');
    // batched over floor per round: 0.9, 0.5, 0.5: median 0.5; over readAll 0.45, 0.2, 0.3: 0.3.
    expect(batched!.ratio).toBeCloseTo(0.3, 10);
    expect(batched!.floorRatio).toBeCloseTo(0.5, 10);
    expect(batched!.addedOverFloor).toBeUndefined();
    // realtime over hook per round: 0.8, 0.8, 0.5: median 0.8, each append 1.25x the bare hook's.
    expect(realtime!.floorRatio).toBeCloseTo(0.8, 10);
    expect(realtime!.addedOverFloor).toBeCloseTo(0.25, 10);
    expect(realtime!.added).toBeCloseTo(1.5, 10);
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
  const judge = (comparison: Omit<ProjectionComparison, 'target'>) =>
    judgeProjectionGoals([{ target: 'sqlite', ...comparison }], labels);
  const verdicts = (comparison: Omit<ProjectionComparison, 'target'>) =>
    Object.fromEntries(judge(comparison).map((g) => [g.kind, g.pass]));

  it('holds batched projections, exactly once or not, to 0.8x their floor, and prints 0.5x raw readAll beside it', () => {
    for (const projectionCase of ['batched', 'exactly-once'] as const) {
      expect(verdicts({ projectionCase, ratio: 0.5, floorRatio: 0.8 })).toEqual({
        floor: true,
        literal: true,
      });
      expect(verdicts({ projectionCase, ratio: 0.49, floorRatio: 0.79 })).toEqual({
        floor: false,
        literal: false,
      });
      expect(verdicts({ projectionCase, ratio: 0.3, floorRatio: 0.9 })).toEqual({
        floor: true,
        literal: false,
      });
    }
  });

  it('holds the realtime projector to 30% over the bare-hook append, and prints 30% over a plain one beside it', () => {
    expect(verdicts({ projectionCase: 'realtime', ratio: 0.5, added: 1, addedOverFloor: 0.3 })).toEqual({
      floor: true,
      literal: false,
    });
    expect(verdicts({ projectionCase: 'realtime', ratio: 0.8, added: 0.25, addedOverFloor: 0.31 })).toEqual({
      floor: false,
      literal: true,
    });
  });

  it('reports the one-upsert-per-event case without judging it', () => {
    expect(judge({ projectionCase: 'single', ratio: 0.01, floorRatio: 0.02 })).toEqual([]);
  });

  it('prints the target, the goal, the numbers and PASS or MISS, the literal verdict in brackets', () => {
    const printed = judge({ projectionCase: 'realtime', ratio: 0.5, added: 1, addedOverFloor: 0.2 }).map(
      formatProjectionGoal,
    );
    expect(printed).toEqual([
      'SQLite: append + realtime projector, one row: adds at most 30.0% to the bare-hook append (floor): adds 20.0%  PASS',
      'SQLite: append + realtime projector, one row: adds at most 30.0% to a plain append (issue 10 as written): adds 100.0%  (MISS)',
    ]);
  });
});
