import { describe, expect, it } from 'vitest';
import type { AppendCase, AppendCaseResult, AppendMode } from '../src/tiered/append-latency.js';
import type { ReadCase, ReadCaseResult } from '../src/tiered/read-latency.js';
import { formatTieredGoal, judgeTieredGoals } from '../src/tiered/tiered-goals.js';
import { formatAppendTable, formatReadTable } from '../src/tiered/tiered-table.js';

const MYSQL = { name: 'tiered-mysql', label: 'MySQL warm', judgeHitSpeedup: true };
const PG = { name: 'tiered-postgres', label: 'PostgreSQL warm', judgeHitSpeedup: false };

function read(
  backend: string,
  size: number,
  readCase: ReadCase,
  p50: number,
  p99 = p50 * 2,
  warm = { reads: 1, eventRows: 0, versionLookups: 1 },
): ReadCaseResult {
  return {
    backend,
    size,
    readCase,
    latency: { count: 100, p50, p99, max: p99 },
    warm,
    hitShare: readCase === 'warm' ? undefined : 1,
  };
}

function append(backend: string, appendCase: AppendCase, p50: number, mode: AppendMode = 'back-to-back') {
  return {
    backend,
    appendCase,
    mode,
    latency: { count: 100, p50, p99: p50 * 3, max: p50 * 4 },
    warm: {
      reads: appendCase === 'copy' ? 1 : 0,
      eventRows: appendCase === 'copy' ? 1 : 0,
      versionLookups: 0,
    },
    writeThroughShare: appendCase === 'warm' ? undefined : appendCase === 'copy' ? 1 : 0,
  } satisfies AppendCaseResult;
}

describe('judgeTieredGoals', () => {
  it('judges the 3x hit speed-up at 10 events against MySQL warm only', () => {
    const reads = [
      read('tiered-mysql', 10, 'warm', 0.9),
      read('tiered-mysql', 10, 'bounded', 0.3),
      read('tiered-postgres', 10, 'warm', 0.2),
      read('tiered-postgres', 10, 'bounded', 0.15),
    ];
    const judged = judgeTieredGoals([MYSQL, PG], reads, []);
    const speedups = judged.filter((g) => g.goal.includes('3x'));
    expect(speedups).toHaveLength(1);
    expect(speedups[0]).toMatchObject({ backend: 'MySQL warm', pass: true });
    expect(speedups[0]!.measured).toBe('0.900 ms / 0.300 ms = 3.00x');
    const slower = judgeTieredGoals([MYSQL], [reads[0]!, read('tiered-mysql', 10, 'bounded', 0.31)], []);
    expect(slower.find((g) => g.goal.includes('3x'))?.pass).toBe(false);
  });

  it('wants a 1,000-event hit no slower than warm alone at both p50 and p99', () => {
    const judged = judgeTieredGoals(
      [PG],
      [
        read('tiered-postgres', 1_000, 'warm', 4, 10),
        read('tiered-postgres', 1_000, 'strict', 3.5, 11),
        read('tiered-postgres', 1_000, 'bounded', 3, 10),
      ],
      [],
    );
    const never = judged.filter((g) => g.goal.includes('never slower'));
    expect(never.map((g) => [g.goal.split(':')[1]!.trim().split(' ')[0], g.pass])).toEqual([
      ['strict', false],
      ['bounded', true],
    ]);
  });

  it('allows a strict hit one version lookup and no event rows, at every stream length', () => {
    const judged = judgeTieredGoals(
      [PG],
      [
        read('tiered-postgres', 10, 'strict', 0.4),
        read('tiered-postgres', 100, 'strict', 0.5, 1, { reads: 2, eventRows: 0.5, versionLookups: 1 }),
        read('tiered-postgres', 1_000, 'strict', 3, 6, { reads: 2, eventRows: 0, versionLookups: 2 }),
      ],
      [],
    );
    expect(judged.filter((g) => g.goal.includes('indexed row')).map((g) => g.pass)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('wants reads with Redis down within 3 ms of warm alone at p99, at every stream length', () => {
    const judged = judgeTieredGoals(
      [PG],
      [
        read('tiered-postgres', 10, 'warm', 0.2, 2),
        read('tiered-postgres', 10, 'down', 0.25, 4.9),
        read('tiered-postgres', 1_000, 'warm', 4, 10),
        read('tiered-postgres', 1_000, 'down', 4.1, 13.5),
      ],
      [],
    );
    const down = judged.filter((g) => g.goal.includes('Redis down'));
    expect(down.map((g) => [g.measured.split(' (')[1]?.split(')')[0], g.pass])).toEqual([
      ['+2.900 ms', true],
      ['+3.500 ms', false],
    ]);
  });

  it('judges the append overhead back to back, with and without a hot copy, at 15%', () => {
    const judged = judgeTieredGoals(
      [MYSQL],
      [],
      [
        append('tiered-mysql', 'warm', 2),
        append('tiered-mysql', 'copy', 2.4),
        append('tiered-mysql', 'no-copy', 2.2),
        // Isolated rows are reported, not judged.
        append('tiered-mysql', 'warm', 1, 'isolated'),
        append('tiered-mysql', 'copy', 5, 'isolated'),
      ],
    );
    expect(judged.map((g) => [g.measured, g.pass])).toEqual([
      ['2.400 ms vs 2.000 ms = +20.0%', false],
      ['2.200 ms vs 2.000 ms = +10.0%', true],
    ]);
    expect(formatTieredGoal(judged[1]!)).toMatch(/^MySQL warm: tiered append \(without a hot copy\).* pass$/);
  });
});

describe('tiered tables', () => {
  it('print each case with its speed-up over warm alone, and appends with their overhead', () => {
    const labels = new Map([['tiered-mysql', 'MySQL warm']]);
    const reads = formatReadTable(
      [read('tiered-mysql', 10, 'warm', 0.9), read('tiered-mysql', 10, 'bounded', 0.3)],
      labels,
    ).split('\n');
    expect(reads[0]).toMatch(/^Warm tier\s+Events\s+readStream\s+p50 ms\s+p99 ms/);
    expect(reads[2]).toMatch(/^MySQL warm\s+10\s+warm alone\s+0\.900\s+1\.800\s+1\.800\s+1\.00x/);
    expect(reads[3]).toMatch(/hot hit, bounded\s+0\.300 .* 3\.00x .* 100%\s+100$/);
    const appends = formatAppendTable(
      [append('tiered-mysql', 'warm', 2), append('tiered-mysql', 'copy', 2.3)],
      labels,
    ).split('\n');
    expect(appends[3]).toMatch(/tiered, stream with a hot copy\s+back-to-back\s+2\.300 .* \+15\.0%/);
  });
});
