import { describe, expect, it } from 'vitest';
import type { WrapperCase } from '../src/wrappers/wrapper-cases.js';
import { floorReadRatios, judgeFloorReadGoals } from '../src/wrappers/wrapper-floor-read-goal.js';
import { formatWrapperGoal } from '../src/wrappers/wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from '../src/wrappers/wrapper-measure.js';
import { formatWrapperTable } from '../src/wrappers/wrapper-table.js';

const rates = (
  wrapperCase: WrapperCase,
  eventsPerSecond: number[],
  operation: WrapperOperation = 'readAll',
  target = 'sqlite',
): WrapperRates => ({ target, operation, wrapperCase, eventsPerSecond, eventsPerBlock: 1_000 });

const labels = new Map([['sqlite', 'SQLite']]);

describe('floorReadRatios', () => {
  it("divides withEncryption's rate by the minimal read's in the same round, then takes the median", () => {
    // Round by round: 0.9, 0.5, 1.1: median 0.9 (the medians of the rates would give 1000/1000 = 1).
    const ratios = floorReadRatios([
      rates('plain', [5_000, 5_000, 5_000]),
      rates('encryption', [900, 1_000, 1_100]),
      rates('minimal-decryption', [1_000, 2_000, 1_000]),
    ]);
    expect(ratios).toHaveLength(1);
    expect(ratios[0]).toMatchObject({ target: 'sqlite', operation: 'readAll' });
    expect(ratios[0]!.ratio).toBeCloseTo(0.9, 10);
  });

  it('judges reads only, within one target and operation, and only where the minimal read ran', () => {
    const ratios = floorReadRatios([
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

  it('judges withUpcasting 2 versions old against the upcasters run by hand, and no other upcasting case', () => {
    // Round by round: 0.75, 0.9, 0.85: median 0.85.
    const ratios = floorReadRatios([
      rates('upcasting-1-old', [700, 700, 700]),
      rates('upcasting-2-old', [750, 900, 850]),
      rates('upcasters-by-hand', [1_000, 1_000, 1_000]),
      rates('upcasting-2-old', [500], 'append'),
      rates('encryption', [500, 500, 500]),
    ]);
    expect(ratios.map((r) => [r.wrapperCase, r.operation])).toEqual([['upcasting-2-old', 'readAll']]);
    expect(ratios[0]!.ratio).toBeCloseTo(0.85, 10);
  });
});

describe('judgeFloorReadGoals', () => {
  it('passes at 0.80x of the minimal read and above, and prints the numbers with PASS or MISS', () => {
    const goals = judgeFloorReadGoals(
      [
        { target: 'sqlite', operation: 'readStream-10', wrapperCase: 'encryption', ratio: 0.8 },
        { target: 'sqlite', operation: 'readAll', wrapperCase: 'encryption', ratio: 0.79 },
      ],
      labels,
    );
    expect(goals.map((g) => g.pass)).toEqual([true, false]);
    expect(formatWrapperGoal(goals[1]!)).toBe(
      'SQLite: readAll, withEncryption (2 fields): at least 0.80x of the minimal decrypting read of the same rows: ' +
        '0.79x of the minimal read  MISS',
    );
  });

  it("names the upcasters run by hand as withUpcasting's floor, at the same 0.80x", () => {
    const goals = judgeFloorReadGoals(
      [
        { target: 'sqlite', operation: 'readStream-100', wrapperCase: 'upcasting-2-old', ratio: 0.81 },
        { target: 'sqlite', operation: 'readAll', wrapperCase: 'upcasting-2-old', ratio: 0.7 },
      ],
      labels,
    );
    expect(goals.map((g) => g.pass)).toEqual([true, false]);
    expect(formatWrapperGoal(goals[1]!)).toBe(
      'SQLite: readAll, withUpcasting, 2 versions old: at least 0.80x of the upcasters run by hand of the same rows: ' +
        '0.70x of the upcasters by hand  MISS',
    );
  });
});

describe('the vs floor read column', () => {
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
      [{ target: 'sqlite', operation: 'readAll', wrapperCase: 'encryption', ratio: 500 / 600 }],
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/ vs floor read$/);
    expect(lines.find((l) => / readAll +withEncryption/.test(l))).toMatch(/ 0\.83x \(>=0\.80x\)$/);
    expect(lines.find((l) => / append +withEncryption/.test(l))).toMatch(/ -$/);
    expect(lines.find((l) => /minimal decrypting read +[\d,]+/.test(l))).toMatch(/ -$/);
  });

  it('shows each floored read against its own floor: 2-old upcasting against the upcasters by hand', () => {
    const table = formatWrapperTable(
      [
        rates('plain', [1_000]),
        rates('upcasting-1-old', [800]),
        rates('upcasting-2-old', [700]),
        rates('upcasters-by-hand', [800]),
        rates('encryption', [500]),
      ],
      [],
      labels,
      [
        { target: 'sqlite', operation: 'readAll', wrapperCase: 'upcasting-2-old', ratio: 700 / 800 },
        { target: 'sqlite', operation: 'readAll', wrapperCase: 'encryption', ratio: 0.5 },
      ],
    );
    const lines = table.split('\n');
    expect(lines.find((l) => /withUpcasting, 2 versions old/.test(l))).toMatch(/ 0\.88x \(>=0\.80x\)$/);
    expect(lines.find((l) => /withEncryption/.test(l))).toMatch(/ 0\.50x \(>=0\.80x\)$/);
    expect(lines.find((l) => /withUpcasting, 1 version old/.test(l))).toMatch(/ -$/);
    expect(lines.find((l) => /upcasters run by hand/.test(l))).toMatch(/ -$/);
  });
});
