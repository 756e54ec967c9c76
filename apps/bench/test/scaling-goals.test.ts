import { describe, expect, it } from 'vitest';
import type { WorkloadResult } from '../src/bench-runner.js';
import type { BenchTarget } from '../src/bench-target.js';
import { summarize } from '../src/median-stats.js';
import { formatScalingLine, judgeScaling } from '../src/scaling-goals.js';

function target(name: string, scaling?: BenchTarget['scaling']): BenchTarget {
  return {
    name,
    family: name,
    label: `${name} label`,
    goals: {},
    rawReference: {},
    rawBaseline: undefined,
    notes: [],
    ...(scaling === undefined ? {} : { scaling }),
    setup: () => Promise.reject(new Error('not used')),
  };
}

function result(targetName: string, workload: WorkloadResult['workload'], rates: number[]): WorkloadResult {
  return {
    target: targetName,
    targetLabel: `${targetName} label`,
    workload,
    title: '',
    description: '',
    adapter: summarize(rates),
    raw: undefined,
    ratio: undefined,
    pairedRatios: [],
    goal: undefined,
    pass: undefined,
    minimal: undefined,
    minimalRatio: undefined,
    minimalPairedRatios: [],
    minimalTarget: undefined,
    minimalPass: undefined,
    rawReference: undefined,
    seconds: 1,
  };
}

describe('judgeScaling', () => {
  const goal = [{ faster: 'W2', than: 'W1' }] as const;

  it('compares the median adapter rates of the two workloads', () => {
    const [judged] = judgeScaling(
      [target('pg', goal)],
      [result('pg', 'W1', [900, 1_000, 1_100]), result('pg', 'W2', [2_000, 2_500, 1_500])],
    );
    expect(judged).toMatchObject({ target: 'pg', fasterRate: 2_000, thanRate: 1_000, factor: 2, pass: true });
    expect(formatScalingLine(judged!)).toBe(
      'pg label: adapter W2 2,000/s vs W1 1,000/s = 2.00x (goal: W2 faster than W1) pass',
    );
  });

  it('fails a tie: faster means strictly faster', () => {
    const [judged] = judgeScaling(
      [target('pg', goal)],
      [result('pg', 'W1', [1_000]), result('pg', 'W2', [1_000])],
    );
    expect(judged?.pass).toBe(false);
    expect(formatScalingLine(judged!)).toMatch(/MISS$/);
  });

  it('skips goals whose workloads did not both run, and targets without goals', () => {
    expect(judgeScaling([target('pg', goal)], [result('pg', 'W1', [1_000])])).toEqual([]);
    expect(
      judgeScaling([target('sqlite')], [result('sqlite', 'W1', [1]), result('sqlite', 'W2', [2])]),
    ).toEqual([]);
  });

  it('never mixes up targets', () => {
    const judged = judgeScaling(
      [target('a', goal), target('b', goal)],
      [result('a', 'W1', [10]), result('a', 'W2', [20]), result('b', 'W1', [30]), result('b', 'W2', [15])],
    );
    expect(judged.map((j) => [j.target, j.pass])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});
