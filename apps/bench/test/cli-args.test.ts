import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli-args.js';
import { UsageError } from '../src/usage-error.js';

describe('parseBenchArgs', () => {
  it('defaults to every workload, every target, full scale', () => {
    expect(parseBenchArgs([])).toEqual({
      suites: ['throughput', 'tiered', 'snapshots', 'wrappers', 'projections'],
      quick: false,
      only: ['W1', 'W2', 'W3', 'W4', 'W5'],
      targets: [],
      runs: undefined,
      partitions: undefined,
      help: false,
    });
  });

  it('reads --quick, --only, --target and --runs, ignoring the -- pnpm forwards', () => {
    const args = parseBenchArgs([
      '--',
      '--quick',
      '--only',
      'w3,W1',
      '--target=sqlite,memory',
      '--runs',
      '7',
      '--partitions',
      '8',
    ]);
    expect(args).toMatchObject({
      quick: true,
      only: ['W1', 'W3'],
      targets: ['sqlite', 'memory'],
      runs: 7,
      partitions: 8,
    });
  });

  it('reads --suite, one or several, in report order', () => {
    expect(parseBenchArgs(['--suite', 'tiered']).suites).toEqual(['tiered']);
    expect(parseBenchArgs(['--suite=tiered,throughput']).suites).toEqual(['throughput', 'tiered']);
    expect(parseBenchArgs(['--suite', 'snapshots']).suites).toEqual(['snapshots']);
    expect(parseBenchArgs(['--suite=snapshots,tiered']).suites).toEqual(['tiered', 'snapshots']);
    expect(parseBenchArgs(['--suite', 'wrappers']).suites).toEqual(['wrappers']);
    expect(parseBenchArgs(['--suite=wrappers,snapshots']).suites).toEqual(['snapshots', 'wrappers']);
    expect(parseBenchArgs(['--suite', 'all']).suites).toEqual([
      'throughput',
      'tiered',
      'snapshots',
      'wrappers',
      'projections',
    ]);
    expect(parseBenchArgs(['--suite=projections,wrappers']).suites).toEqual(['wrappers', 'projections']);
  });

  it.each([
    [['--suite', 'latency']],
    [['--suite', '']],
    [['--only', 'W9']],
    [['--only', '']],
    [['--runs', '0']],
    [['--runs', 'many']],
    [['--partitions', '1']],
    [['--partitions', '2.5']],
    [['--fast']],
    [['extra']],
  ])('rejects %j with a UsageError', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
  });
});
