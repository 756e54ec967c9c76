import { describe, expect, it } from 'vitest';
import type { WrapperCase } from '../src/wrappers/wrapper-cases.js';
import { formatWrapperGoal, judgeWrapperGoals, wrapperCosts } from '../src/wrappers/wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from '../src/wrappers/wrapper-measure.js';

const rates = (
  wrapperCase: WrapperCase,
  eventsPerSecond: number[],
  operation: WrapperOperation = 'readAll',
): WrapperRates => ({ target: 'sqlite', operation, wrapperCase, eventsPerSecond, eventsPerBlock: 1_000 });

const labels = new Map([['sqlite', 'SQLite']]);

describe('wrapperCosts', () => {
  it('divides each round by the plain store in the same round, then takes the median', () => {
    // Round by round: 0.9, 0.5 (a burst of load on the wrapper's block), 0.95: median 0.9.
    const costs = wrapperCosts([rates('plain', [1_000, 2_000, 400]), rates('encryption', [900, 1_000, 380])]);
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ wrapperCase: 'encryption', operation: 'readAll' });
    expect(costs[0]!.ratio).toBeCloseTo(0.9, 10);
    expect(costs[0]!.cost).toBeCloseTo(0.1, 10);
  });

  it('compares only within one target and operation, and has no row for the plain store itself', () => {
    const costs = wrapperCosts([
      rates('plain', [1_000], 'append'),
      rates('plain', [100], 'readAll'),
      rates('upcasting', [500], 'append'),
      rates('upcasting', [100], 'readAll'),
      { ...rates('upcasting', [100], 'append'), target: 'postgres' },
    ]);
    expect(costs.map((c) => [c.target, c.operation, c.ratio])).toEqual([
      ['sqlite', 'append', 0.5],
      ['sqlite', 'readAll', 1],
    ]);
  });
});

describe('judgeWrapperGoals', () => {
  const judged = (wrapperCase: WrapperCase, ratio: number) =>
    judgeWrapperGoals(
      [{ target: 'sqlite', operation: 'readAll', wrapperCase, ratio, cost: 1 - ratio }],
      labels,
    );

  it('holds upcasting of current events to 5% and the other single wrappers to 25%', () => {
    expect(judged('upcasting', 0.95)[0]!.pass).toBe(true);
    expect(judged('upcasting', 0.94)[0]!.pass).toBe(false);
    for (const wrapperCase of ['encryption', 'upcasting-1-old', 'upcasting-2-old'] as const) {
      expect(judged(wrapperCase, 0.75)[0]!.pass).toBe(true);
      expect(judged(wrapperCase, 0.74)[0]!.pass).toBe(false);
    }
  });

  it('reports the composed case without judging it', () => {
    expect(judged('both', 0.1)).toEqual([]);
  });

  it('prints the target, the goal, the numbers and PASS or MISS', () => {
    expect(formatWrapperGoal(judged('encryption', 0.5)[0]!)).toBe(
      "SQLite: readAll, withEncryption (2 fields): costs at most 25.0% of the plain store's throughput: " +
        '0.50x of plain = 50.0%  MISS',
    );
    expect(formatWrapperGoal(judged('upcasting', 1.02)[0]!)).toMatch(/= -2\.0% {2}PASS$/);
  });
});
