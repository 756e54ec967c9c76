import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBenchArgs } from '../src/cli-args.js';
import { SNAPSHOT_BACKENDS } from '../src/snapshots/snapshot-backends.js';
import { SNAPSHOT_GOALS } from '../src/snapshots/snapshot-goals.js';
import { SNAPSHOT_QUICK_SCALE } from '../src/snapshots/snapshot-scale.js';
import { runSnapshotSuite, snapshotBackends } from '../src/snapshots/snapshot-suite.js';
import { perRound } from '../src/tiered/tiered-scale.js';
import { leftovers } from './support/bench-leftovers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('snapshotBackends', () => {
  it('runs every target by default and selects them by name, tiered only by its own name', () => {
    const names = (argv: string[]) => snapshotBackends(parseBenchArgs(argv)).map((b) => b.name);
    expect(names([])).toEqual(['sqlite', 'postgres', 'mysql', 'redis', 'tiered']);
    expect(names(['--target', 'redis,sqlite'])).toEqual(['sqlite', 'redis']);
    expect(names(['--target', 'mysql'])).toEqual(['mysql']);
    expect(names(['--target', 'tiered'])).toEqual(['tiered']);
    expect(SNAPSHOT_BACKENDS.find((b) => b.name === 'tiered')?.note).toMatch(/`tiered.snapshots` keeps/);
  });
});

describe('a --quick run of the sqlite target', () => {
  it('measures every case, judges the goal at 10,000 events, prints it all and deletes its file', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      printed.push(String(line));
    });
    const report = await runSnapshotSuite(
      parseBenchArgs(['--suite', 'snapshots', '--quick', '--target', 'sqlite']),
    );

    expect(report.skipped).toEqual([]);
    expect(report.runs.map((r) => r.target)).toEqual(['sqlite']);
    const scale = SNAPSHOT_QUICK_SCALE;
    for (const size of scale.sizes) {
      const rows = report.loads.filter((l) => l.size === size);
      expect(rows.map((l) => l.loadCase)).toEqual([
        'replay',
        'snapshot',
        'snapshot-read',
        'restore',
        'tail-read',
      ]);
      for (const row of rows)
        expect(row.latency.count).toBe(perRound(scale.loads[size]!, scale.rounds) * scale.rounds);
    }
    // A realistic state: a few hundred bytes to a few KiB, gzipped by the default (from 1 KiB).
    expect(report.seeded.map((s) => s.size)).toEqual([1_000, 10_000]);
    for (const s of report.seeded) {
      expect(s.bytes).toBeGreaterThan(1_024);
      expect(s.bytes).toBeLessThan(4_096);
      expect(s).toMatchObject({ codec: 'gzip' });
      expect(s.storedBytes).toBeLessThan(s.bytes);
    }

    const save = (saveCase: string, mode: string) =>
      report.saves.find((s) => s.saveCase === saveCase && s.mode === mode)!;
    expect(report.saves).toHaveLength(4);
    for (const s of report.saves)
      expect(s.latency.count).toBe(perRound(scale.saves, scale.rounds) * scale.rounds);
    for (const mode of ['back-to-back', 'isolated']) {
      expect(save('off', mode)).toMatchObject({ snapshotsPerSave: 0, write: undefined });
    }
    // Isolated: flushed before each save, so none is skipped for a write in flight.
    expect(save('on', 'isolated').snapshotsPerSave).toBe(1);
    expect(save('on', 'isolated').write?.count).toBe(save('on', 'isolated').latency.count);
    expect(save('on', 'back-to-back').snapshotsPerSave).toBeGreaterThan(0);
    expect(save('on', 'back-to-back').snapshotsPerSave).toBeLessThanOrEqual(1);

    expect(report.goals).toHaveLength(1);
    expect(report.goals[0]!.goal).toContain(`${SNAPSHOT_GOALS.speedup}x`);
    expect(report.misses).toHaveLength(report.goals[0]!.pass ? 0 : 1);
    const output = printed.join('\n');
    expect(output).toMatch(/SQLite .* 10,000 +load from the snapshot .* \d+\.\dx/);
    expect(output).toMatch(/Snapshot goals:\n {2}SQLite .*: 10,000 events: .* (PASS|MISS)$/m);
    expect(output).toMatch(/snapshot after every save +isolated/);

    for (const location of report.runs[0]!.locations) expect(await leftovers(location)).toBe(0);
  });
});
