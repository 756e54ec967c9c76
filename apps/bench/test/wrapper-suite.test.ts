import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBenchArgs } from '../src/cli-args.js';
import { APPEND_CASES, WRAPPER_CASES } from '../src/wrappers/wrapper-cases.js';
import { WRAPPER_OPERATIONS } from '../src/wrappers/wrapper-measure.js';
import { WRAPPER_QUICK_SCALE } from '../src/wrappers/wrapper-scale.js';
import { runWrapperSuite, wrapperBackends } from '../src/wrappers/wrapper-suite.js';
import { leftovers } from './support/bench-leftovers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('wrapperBackends', () => {
  it('runs SQLite and PostgreSQL by default and selects them by name', () => {
    const names = (argv: string[]) => wrapperBackends(parseBenchArgs(argv)).map((b) => b.name);
    expect(names([])).toEqual(['sqlite', 'postgres']);
    expect(names(['--target', 'postgres'])).toEqual(['postgres']);
    expect(names(['--target', 'sqlite,mysql'])).toEqual(['sqlite']);
  });
});

describe('a --quick run of the sqlite target', () => {
  it('measures every case in every round, judges the single wrappers, prints it all and deletes its file', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      printed.push(String(line));
    });
    const report = await runWrapperSuite(
      parseBenchArgs(['--suite', 'wrappers', '--quick', '--target', 'sqlite']),
    );

    const scale = WRAPPER_QUICK_SCALE;
    expect(report.skipped).toEqual([]);
    expect(report.runs.map((r) => r.target)).toEqual(['sqlite']);
    const expectedEvents = {
      append: scale.appendsPerRound,
      'readStream-10': scale.streamReadsPerRound[10] * 10,
      'readStream-100': scale.streamReadsPerRound[100] * 100,
      readAll: scale.pagesPerRound * scale.pageSize,
    };
    for (const operation of WRAPPER_OPERATIONS) {
      const rows = report.rates.filter((r) => r.operation === operation);
      expect(rows.map((r) => r.wrapperCase)).toEqual(operation === 'append' ? APPEND_CASES : WRAPPER_CASES);
      for (const row of rows) {
        // Every block handled as many events as asked: a short read cannot pass as a fast one.
        expect(row.eventsPerBlock).toBe(expectedEvents[operation]);
        expect(row.eventsPerSecond).toHaveLength(scale.rounds);
        for (const rate of row.eventsPerSecond) expect(rate).toBeGreaterThan(0);
      }
    }
    // Every case but the plain store has a cost; the composed one is not judged.
    expect(report.costs).toHaveLength(report.rates.length - WRAPPER_OPERATIONS.length);
    const judged = report.costs.filter(
      (c) => !['both', 'bare-decryption', 'minimal-decryption', 'upcasters-by-hand'].includes(c.wrapperCase),
    );
    // And each encryption read against the minimal decrypting read, and each read of events 2
    // versions old against the upcasters run by hand (the cipher floor is reported, not judged).
    expect(report.goals).toHaveLength(judged.length + report.floorReadRatios.length);
    for (const floored of ['encryption', 'upcasting-2-old']) {
      expect(report.floorReadRatios.filter((r) => r.wrapperCase === floored).map((r) => r.operation)).toEqual(
        ['readStream-10', 'readStream-100', 'readAll'],
      );
    }
    expect(report.floorReadRatios).toHaveLength(6);
    for (const ratio of report.floorReadRatios) expect(ratio.ratio).toBeGreaterThan(0);
    expect(report.misses).toHaveLength(report.goals.filter((g) => !g.pass).length);

    const output = printed.join('\n');
    expect(output).toMatch(
      /SQLite .* readAll +withEncryption \(2 fields\) +[\d,]+ ±\d+% +\d+\.\d\dx +-?\d+\.\d% {2}<=25%/,
    );
    expect(output).toMatch(/SQLite .* readStream-10 +withUpcasting, 2 versions old /);
    expect(output).toMatch(
      /^Wrapper goals:\n {2}SQLite .*: append, withUpcasting, current events: costs at most 5\.0%/m,
    );
    expect(output).toMatch(/ (PASS|MISS)$/m);

    // The cipher floor: measured once for the target, a bound for each of its three reads.
    expect(report.cipherFloor.map((f) => f.target)).toEqual(['sqlite']);
    expect(report.cipherFloor[0]!.microseconds).toBeGreaterThan(0);
    expect(report.cipherBounds.map((b) => b.operation)).toEqual([
      'readStream-10',
      'readStream-100',
      'readAll',
    ]);
    for (const bound of report.cipherBounds) {
      expect(bound.bestRatio).toBeGreaterThan(0);
      expect(bound.bestRatio).toBeLessThan(1);
    }
    expect(output).toMatch(/^Cipher floor: node:crypto alone/m);
    expect(output).toMatch(/^ {2}SQLite .*: \d+\.\d\d µs an event; readStream-10 \d+\.\d\d µs → 0\.\d\dx, /m);
    expect(report.cipherFloorRatios.map((r) => r.operation)).toEqual([
      'readStream-10',
      'readStream-100',
      'readAll',
    ]);
    for (const ratio of report.cipherFloorRatios) {
      expect(ratio.vsFloor).toBeGreaterThan(0);
      expect(ratio.vsInPlace).toBeGreaterThan(0);
    }
    expect(output).toMatch(
      /SQLite .* readAll +plain \+ bare decryption +[\d,]+ ±\d+% +\d+\.\d\dx +-?\d+\.\d% +- +-$/m,
    );
    expect(output).toMatch(
      /^ {4}withEncryption vs the floor in place: readStream-10 \d+\.\d\dx, readStream-100 \d+\.\d\dx, readAll \d+\.\d\dx$/m,
    );
    expect(output).toMatch(
      /^ {4}withEncryption vs cipher floor: readStream-10 \d+\.\d\dx, readStream-100 \d+\.\d\dx, readAll \d+\.\d\dx$/m,
    );
    // Reported, not judged: no goal line names the cipher floor.
    expect(output).not.toMatch(/at least 0\.80x of the cipher floor/);
    expect(output).toMatch(
      /SQLite .* readAll +minimal decrypting read +[\d,]+ ±\d+% +\d+\.\d\dx +-?\d+\.\d% +- +-$/m,
    );
    expect(output).toMatch(
      /SQLite .* readAll +withEncryption \(2 fields\) .* <=25% +\d+\.\d\dx \(>=0\.80x\)$/m,
    );
    expect(output).toMatch(
      /^ {2}SQLite .*: readAll, withEncryption \(2 fields\): at least 0\.80x of the minimal decrypting read of the same rows: \d+\.\d\dx of the minimal read {2}(PASS|MISS)$/m,
    );
    // The 2-versions-old reads: the 25% line still judged, and the floor read beside it.
    expect(output).toMatch(
      /SQLite .* readAll +upcasters run by hand +[\d,]+ ±\d+% +\d+\.\d\dx +-?\d+\.\d% +- +-$/m,
    );
    expect(output).toMatch(
      /SQLite .* readAll +withUpcasting, 2 versions old .* <=25% +\d+\.\d\dx \(>=0\.80x\)$/m,
    );
    expect(output).toMatch(
      /^ {2}SQLite .*: readAll, withUpcasting, 2 versions old: costs at most 25\.0% of the plain store's throughput: .* {2}(PASS|MISS)$/m,
    );
    expect(output).toMatch(
      /^ {2}SQLite .*: readAll, withUpcasting, 2 versions old: at least 0\.80x of the upcasters run by hand of the same rows: \d+\.\d\dx of the upcasters by hand {2}(PASS|MISS)$/m,
    );

    for (const location of report.runs[0]!.locations) expect(await leftovers(location)).toBe(0);
  });
});
