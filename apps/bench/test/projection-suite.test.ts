import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBenchArgs } from '../src/cli-args.js';
import { APPEND_CASES, PROJECTION_CASES } from '../src/projections/projection-cases.js';
import { PROJECTION_QUICK_SCALE } from '../src/projections/projection-scale.js';
import { projectionBackends, runProjectionSuite } from '../src/projections/projection-suite.js';
import { leftovers } from './support/bench-leftovers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('projectionBackends', () => {
  it('runs SQLite, PostgreSQL and MySQL by default and selects them by name', () => {
    const names = (argv: string[]) => projectionBackends(parseBenchArgs(argv)).map((b) => b.name);
    expect(names([])).toEqual(['sqlite', 'postgres', 'mysql']);
    expect(names(['--target', 'postgres'])).toEqual(['postgres']);
    expect(names(['--target', 'sqlite,redis'])).toEqual(['sqlite']);
  });
});

describe('a --quick run of the sqlite target', () => {
  it('measures every case in every round, judges the goals, prints it all and deletes its file', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      printed.push(String(line));
    });
    const report = await runProjectionSuite(
      parseBenchArgs(['--suite', 'projections', '--quick', '--target', 'sqlite']),
    );

    const scale = PROJECTION_QUICK_SCALE;
    expect(report.skipped).toEqual([]);
    expect(report.runs.map((r) => r.target)).toEqual(['sqlite']);
    expect(report.rates.map((r) => r.projectionCase)).toEqual([...PROJECTION_CASES, ...APPEND_CASES]);
    for (const row of report.rates) {
      // Every block handled as many events as asked: a short read cannot pass as a fast one.
      const isAppend = (APPEND_CASES as readonly string[]).includes(row.projectionCase);
      expect(row.eventsPerBlock).toBe(isAppend ? scale.appendsPerRound : scale.loggedEvents);
      expect(row.eventsPerSecond).toHaveLength(scale.rounds);
      for (const rate of row.eventsPerSecond) expect(rate).toBeGreaterThan(0);
    }
    expect(report.goals.map((g) => [g.kind, g.goal])).toEqual([
      [
        'floor',
        expect.stringMatching(
          /^batched, handleBatch .*: at least 0\.80x its floor \(readAll \+ one upsert per page\)$/,
        ),
      ],
      [
        'literal',
        expect.stringMatching(
          /^batched, handleBatch .*: at least 0\.50x raw readAll \(issue 10 as written\)$/,
        ),
      ],
      ['floor', expect.stringMatching(/^batched, exactly once .*: at least 0\.80x its floor/)],
      ['literal', expect.stringMatching(/^batched, exactly once .*: at least 0\.50x raw readAll/)],
      [
        'floor',
        expect.stringMatching(
          /^append \+ realtime projector, one row: adds at most 30\.0% to the bare-hook append \(floor\)$/,
        ),
      ],
      [
        'literal',
        expect.stringMatching(
          /^append \+ realtime projector, one row: adds at most 30\.0% to a plain append/,
        ),
      ],
    ]);
    // Only the goals restated against the floors count as misses.
    expect(report.misses).toHaveLength(report.goals.filter((g) => g.kind === 'floor' && !g.pass).length);

    const output = printed.join('\n');
    expect(output).toMatch(
      /SQLite .* batched, handleBatch multi-row upsert +[\d,]+ ±\d+% +\d+\.\d\dx +- +\d+\.\d\dx +-$/m,
    );
    expect(output).toMatch(
      /SQLite .* append \+ realtime projector, one row +[\d,]+ ±\d+% +\d+\.\d\dx +-?\d+\.\d% +\d+\.\d\dx +-?\d+\.\d%$/m,
    );
    expect(output).toMatch(
      /SQLite .* floor: readAll \+ one upsert per page +[\d,]+ ±\d+% +\d+\.\d\dx +- +- +-$/m,
    );
    expect(output).toMatch(/^Projection goals:\n {2}SQLite .*: batched/m);
    expect(output).toMatch(/ (PASS|MISS)$/m);

    for (const location of report.runs[0]!.locations) expect(await leftovers(location)).toBe(0);
  });
});
