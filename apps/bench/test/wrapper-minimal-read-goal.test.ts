import { describe, expect, it } from 'vitest';
import type { WrapperCase } from '../src/wrappers/wrapper-cases.js';
import { formatWrapperGoal } from '../src/wrappers/wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from '../src/wrappers/wrapper-measure.js';
import { judgeMinimalReadGoals, minimalReadRatios } from '../src/wrappers/wrapper-minimal-read-goal.js';
import { formatWrapperTable } from '../src/wrappers/wrapper-table.js';

const rates = (
  wrapperCase: WrapperCase,
  eventsPerSecond: number[],
  operation: WrapperOperation = 'readAll',
  target = 'sqlite',
): WrapperRates => ({ target, operation, wrapperCase, eventsPerSecond, eventsPerBlock: 1_000 });

const labels = new Map([['sqlite', 'SQLite']]);

describe('minimalReadRatios', () => {
  it("divides withEncryption's rate by the minimal read's in the same round, then takes the median", () => {
    // Round by round: 0.9, 0.5, 1.1: median 0.9 (the medians of the rates would give 1000/1000 = 1).
    const ratios = minimalReadRatios([
      rates('plain', [5_000, 5_000, 5_000]),
      rates('encryption', [900, 1_000, 1_100]),
      rates('minimal-decryption', [1_000, 2_000, 1_000]),
    ]);
    expect(ratios).toHaveLength(1);
    expect(ratios[0]).toMatchObject({ target: 'sqlite', operation: 'readAll' });
    expect(ratios[0]!.ratio).toBeCloseTo(0.9, 10);
  });

  it('judges reads only, within one target and operation, and only where the minimal read ran', () => {
    const ratios = minimalReadRatios([
      rates('encryption', [100], 'append'),
      rates('encryption', [100], 'readStream-10'),
      rates('minimal-decryption', [400], 'readStream-10'),
      rates('minimal-decryption', [100], 'readStream-10', 'postgres'),
      rates('encryption', [100], 'readAll'),
      rates('both', [100], 'readStream-100'),
      rates('minimal-decryption', [100], 'readStream-100'),
    ]);
    expect(ratios.map((r) => [r.target, r.operation, r.ratio])).toEqual([['sqlite', 'readStream-10', 0.25]]);
  });
});

describe('judgeMinimalReadGoals', () => {
  it('passes at 0.80x of the minimal read and above, and prints the numbers with PASS or MISS', () => {
    const goals = judgeMinimalReadGoals(
      [
        { target: 'sqlite', operation: 'readStream-10', ratio: 0.8 },
        { target: 'sqlite', operation: 'readAll', ratio: 0.79 },
      ],
      labels,
    );
    expect(goals.map((g) => g.pass)).toEqual([true, false]);
    expect(formatWrapperGoal(goals[1]!)).toBe(
      'SQLite: readAll, withEncryption (2 fields): at least 0.80x of the minimal decrypting read of the same rows: ' +
        '0.79x of the minimal read  MISS',
    );
  });
});

describe('the vs minimal decrypting read column', () => {
  it("shows withEncryption's ratio with the goal on its read rows, and a dash everywhere else", () => {
    const table = formatWrapperTable(
      [
        rates('plain', [1_000]),
        rates('encryption', [500]),
        rates('minimal-decryption', [600]),
        rates('encryption', [100], 'append'),
      ],
      [],
      labels,
      [{ target: 'sqlite', operation: 'readAll', ratio: 500 / 600 }],
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/ vs minimal decrypting read$/);
    expect(lines.find((l) => / readAll +withEncryption/.test(l))).toMatch(/ 0\.83x \(>=0\.80x\)$/);
    expect(lines.find((l) => / append +withEncryption/.test(l))).toMatch(/ -$/);
    expect(lines.find((l) => /minimal decrypting read +[\d,]+/.test(l))).toMatch(/ -$/);
  });
});
