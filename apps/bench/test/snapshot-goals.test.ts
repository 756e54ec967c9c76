import { describe, expect, it } from 'vitest';
import type { LoadCase, LoadCaseResult } from '../src/snapshots/load-latency.js';
import type { SaveCase, SaveCaseResult, SaveMode } from '../src/snapshots/save-cost.js';
import { formatSnapshotGoal, judgeSnapshotGoals } from '../src/snapshots/snapshot-goals.js';
import { formatLoadTable, formatSaveTable } from '../src/snapshots/snapshot-table.js';

const REDIS = { name: 'redis', label: 'Redis' };
const PG = { name: 'postgres', label: 'PostgreSQL' };

function load(target: string, size: number, loadCase: LoadCase, p50: number): LoadCaseResult {
  return { target, size, loadCase, latency: { count: 100, p50, p99: p50 * 2, max: p50 * 3 } };
}

function save(target: string, saveCase: SaveCase, mode: SaveMode, p50: number): SaveCaseResult {
  return {
    target,
    saveCase,
    mode,
    latency: { count: 200, p50, p99: p50 * 2, max: p50 * 3 },
    snapshotsPerSave: saveCase === 'on' ? (mode === 'isolated' ? 1 : 0.5) : 0,
    write: saveCase === 'on' ? { count: 100, p50: 1.5, p99: 4, max: 5 } : undefined,
  };
}

describe('judgeSnapshotGoals', () => {
  it('wants a load from a snapshot at least 20x faster at p50 at 10,000 events, on every target', () => {
    const judged = judgeSnapshotGoals(
      [REDIS, PG],
      [
        load('redis', 10_000, 'replay', 80),
        load('redis', 10_000, 'snapshot', 4),
        load('postgres', 10_000, 'replay', 100),
        load('postgres', 10_000, 'snapshot', 5.1),
      ],
    );
    expect(judged.map((g) => [g.target, g.measured, g.pass])).toEqual([
      ['Redis', '80.000 ms / 4.000 ms = 20.0x', true],
      ['PostgreSQL', '100.000 ms / 5.100 ms = 19.6x', false],
    ]);
    expect(formatSnapshotGoal(judged[0]!)).toMatch(/^Redis: 10,000 events: .* at least 20x faster .* PASS$/);
    expect(formatSnapshotGoal(judged[1]!)).toMatch(/MISS$/);
  });

  it('judges only 10,000 events, and only targets that measured both loads there', () => {
    const judged = judgeSnapshotGoals(
      [REDIS, PG],
      [
        load('redis', 1_000, 'replay', 8),
        load('redis', 1_000, 'snapshot', 4),
        load('postgres', 10_000, 'replay', 100),
        load('postgres', 10_000, 'restore', 1),
      ],
    );
    expect(judged).toEqual([]);
  });
});

describe('snapshot tables', () => {
  it('print the speed-up on the snapshot row only', () => {
    const lines = formatLoadTable(
      [
        load('redis', 10_000, 'replay', 80),
        load('redis', 10_000, 'snapshot', 2.5),
        load('redis', 10_000, 'restore', 1),
      ],
      new Map([['redis', 'Redis']]),
    ).split('\n');
    expect(lines[0]).toMatch(/^Target\s+Events\s+Case\s+p50 ms\s+p99 ms\s+max ms\s+Speed-up\s+Loads$/);
    expect(lines[2]).toMatch(
      /^Redis\s+10,000\s+load, no snapshots option\s+80\.000\s+160\.000\s+240\.000\s+100$/,
    );
    expect(lines[3]).toMatch(/load from the snapshot\s+2\.500\s+5\.000\s+7\.500\s+32\.0x\s+100$/);
    expect(lines[4]).toMatch(/diagnostic: restore \(\+ unzip, decode\)\s+1\.000\s+2\.000\s+3\.000\s+100$/);
  });

  it("print each save's overhead over snapshots off in the same mode, and the write's own latency", () => {
    const lines = formatSaveTable(
      [
        save('redis', 'off', 'back-to-back', 0.5),
        save('redis', 'on', 'back-to-back', 0.6),
        save('redis', 'off', 'isolated', 0.4),
        save('redis', 'on', 'isolated', 0.5),
      ],
      new Map([['redis', 'Redis']]),
    ).split('\n');
    expect(lines[2]).toMatch(/^Redis\s+snapshots off\s+back-to-back\s+0\.500 .* -\s+-\s+-\s+200$/);
    expect(lines[3]).toMatch(
      /snapshot after every save\s+back-to-back\s+0\.600 .* \+20\.0%\s+50%\s+1\.500\s+4\.000\s+200$/,
    );
    expect(lines[4]).toBe('');
    expect(lines[6]).toMatch(/snapshot after every save\s+isolated\s+0\.500 .* \+25\.0%\s+100%/);
  });
});
