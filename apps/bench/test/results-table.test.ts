import { describe, expect, it } from 'vitest';
import type { WorkloadResult } from '../src/bench-runner.js';
import { summarize } from '../src/median-stats.js';
import { formatMinimalTargets, formatMisses, formatResultsTable } from '../src/results-table.js';

function result(overrides: Partial<WorkloadResult>): WorkloadResult {
  return {
    target: 'sqlite-normal',
    targetLabel: 'sqlite synchronous=NORMAL',
    workload: 'W1',
    title: 'single-event appends',
    description: '',
    adapter: summarize([9_000, 10_000, 11_000]),
    raw: summarize([12_500]),
    ratio: 0.8,
    pairedRatios: [0.8],
    goal: 0.8,
    pass: true,
    minimal: summarize([20_000, 25_000, 30_000]),
    minimalRatio: 0.4,
    minimalPairedRatios: [0.4],
    minimalTarget: 0.8,
    minimalPass: false,
    rawReference: 13_336,
    seconds: 1,
    ...overrides,
  };
}

describe('formatResultsTable', () => {
  it('prints rates, both ratios, goal and verdict, and "-" where a target has no raw or minimal baseline', () => {
    const noMinimal = {
      minimal: undefined,
      minimalRatio: undefined,
      minimalPairedRatios: [],
      minimalTarget: undefined,
      minimalPass: undefined,
    };
    const table = formatResultsTable([
      result({}),
      result({ workload: 'W3', ratio: 0.5, pass: false, minimalRatio: 1.25 }),
      result({
        target: 'memory',
        targetLabel: 'memory',
        raw: undefined,
        ratio: undefined,
        goal: undefined,
        pass: undefined,
        rawReference: undefined,
        ...noMinimal,
      }),
      result({
        target: 'redis',
        targetLabel: 'redis',
        raw: undefined,
        ratio: undefined,
        goal: undefined,
        pass: undefined,
        rawReference: undefined,
      }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^Target\s+Workload\s+Adapter ev\/s\s+Raw ev\/s\s+Raw ref\s+Ratio\s+Goal\s+Result\s+Minimal ev\/s\s+vs minimal$/,
    );
    expect(lines[2]).toMatch(
      /sqlite synchronous=NORMAL\s+W1\s+10,000 ±10%\s+12,500 ±0%\s+13,336\s+0\.80x\s+>=0\.80x\s+pass\s+25,000 ±20%\s+0\.40x$/,
    );
    expect(lines[3]).toMatch(/W3 .* 0\.50x\s+>=0\.80x\s+MISS\s+25,000 ±20%\s+1\.25x$/);
    // Targets are separated by a blank line.
    expect(lines[4]).toBe('');
    expect(lines[5]).toMatch(/^memory\s+W1\s+10,000 ±10%\s+-\s+-\s+-\s+-$/);
    expect(lines[7]).toMatch(/^redis\s+W1\s+10,000 ±10%\s+-\s+-\s+25,000 ±20%\s+0\.40x$/);
  });
});

describe('formatResultsTable with a floor baseline', () => {
  it('adds the floor columns when a result has one, with "-" for the others', () => {
    const table = formatResultsTable([
      result({ floor: summarize([15_000, 20_000, 25_000]), floorRatio: 0.5 }),
      result({ target: 'redis', targetLabel: 'redis' }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/Minimal ev\/s\s+vs minimal\s+Floor ev\/s\s+vs floor$/);
    expect(lines[2]).toMatch(/0\.40x\s+20,000 ±25%\s+0\.50x$/);
    expect(lines[4]).toMatch(/^redis\s+W1 .* 0\.40x\s+-\s+-$/);
  });
});

describe('formatMinimalTargets', () => {
  it('prints PASS or MISS with both numbers for each result with a target, and skips the rest', () => {
    expect(
      formatMinimalTargets([
        result({}),
        result({ workload: 'W4', minimalRatio: 0.95, minimalTarget: 0.9, minimalPass: true }),
        result({ workload: 'W2', minimalRatio: 0.7, minimalTarget: undefined, minimalPass: undefined }),
      ]),
    ).toEqual([
      'MISS sqlite synchronous=NORMAL W1: 0.40x of the minimal store (target >=0.80x)',
      'PASS sqlite synchronous=NORMAL W4: 0.95x of the minimal store (target >=0.90x)',
    ]);
  });

  it('restates a target against the floor where the run measured one, and says whether it is met there', () => {
    expect(
      formatMinimalTargets([
        result({
          workload: 'W3',
          minimalRatio: 0.69,
          minimalTarget: 1,
          minimalPass: false,
          floorRatio: 1.14,
        }),
        result({
          workload: 'W1',
          minimalRatio: 0.78,
          minimalTarget: 1,
          minimalPass: false,
          floorRatio: 0.88,
        }),
        result({
          workload: 'W3',
          minimalRatio: 0.63,
          minimalTarget: 1,
          minimalPass: false,
          floorRatio: 0.998,
        }),
      ]),
    ).toEqual([
      'MISS sqlite synchronous=NORMAL W3: 0.69x of the minimal store (target >=1.00x); 1.14x of the floor: met against the floor',
      'MISS sqlite synchronous=NORMAL W1: 0.78x of the minimal store (target >=1.00x); 0.88x of the floor: short against the floor',
      // 0.998 would print as 1.00x beside "short".
      'MISS sqlite synchronous=NORMAL W3: 0.63x of the minimal store (target >=1.00x); 0.998x of the floor: short against the floor',
    ]);
  });

  it('never turns a missed minimal-store target into a missed goal of the run', () => {
    expect(formatMisses([result({ minimalRatio: 0.1, minimalPass: false })])).toEqual([]);
  });
});

describe('formatMisses', () => {
  it('lists only judged results below their goal', () => {
    expect(
      formatMisses([result({}), result({ workload: 'W4', ratio: 0.75, goal: 0.9, pass: false })]),
    ).toEqual(['sqlite synchronous=NORMAL W4: 0.75x < goal 0.90x']);
  });
});
