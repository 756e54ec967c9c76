import { describe, expect, it } from 'vitest';
import type { WorkloadResult } from '../src/bench-runner.js';
import { summarize } from '../src/median-stats.js';
import { formatMisses, formatResultsTable } from '../src/results-table.js';

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
    rawReference: 13_336,
    seconds: 1,
    ...overrides,
  };
}

describe('formatResultsTable', () => {
  it('prints rates, ratio, goal and verdict, and "-" where a target has no raw baseline', () => {
    const table = formatResultsTable([
      result({}),
      result({ workload: 'W3', ratio: 0.5, pass: false }),
      result({
        target: 'memory',
        targetLabel: 'memory',
        raw: undefined,
        ratio: undefined,
        goal: undefined,
        pass: undefined,
        rawReference: undefined,
      }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^Target\s+Workload\s+Adapter ev\/s\s+Raw ev\/s\s+Raw ref\s+Ratio\s+Goal\s+Result$/,
    );
    expect(lines[2]).toMatch(
      /sqlite synchronous=NORMAL\s+W1\s+10,000 ±10%\s+12,500 ±0%\s+13,336\s+0\.80x\s+>=0\.80x\s+pass/,
    );
    expect(lines[3]).toMatch(/W3 .* 0\.50x\s+>=0\.80x\s+MISS$/);
    // Targets are separated by a blank line.
    expect(lines[4]).toBe('');
    expect(lines[5]).toMatch(/^memory\s+W1\s+10,000 ±10%\s+-\s+-$/);
  });
});

describe('formatMisses', () => {
  it('lists only judged results below their goal', () => {
    expect(
      formatMisses([result({}), result({ workload: 'W4', ratio: 0.75, goal: 0.9, pass: false })]),
    ).toEqual(['sqlite synchronous=NORMAL W4: 0.75x < goal 0.90x']);
  });
});
