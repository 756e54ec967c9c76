import { createMemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { runBench } from '../src/bench-runner.js';
import type { BenchTarget } from '../src/bench-target.js';
import { storeSubject } from '../src/store-subject.js';
import { WORKLOADS } from '../src/workloads/workload-registry.js';
import { TINY_SCALE } from './support/tiny-scale.js';

const TINY = TINY_SCALE;

type Baselines = { raw: boolean; minimal: boolean; floor?: boolean; rawIsFloor?: boolean };

/** Memory stores on every side, recording which side ran on which database and in what order. */
function recordingTarget(log: string[], baselines: Baselines = { raw: true, minimal: false }): BenchTarget {
  let databases = 0;
  return {
    name: 'recording',
    family: 'recording',
    label: 'recording',
    goals: { W1: 0.5 },
    rawReference: {},
    rawBaseline: baselines.raw ? 'a second memory store' : undefined,
    ...(baselines.minimal
      ? { minimal: { description: 'a third memory store', targets: { W1: 0.8, W4: 0.9 } } }
      : {}),
    ...(baselines.floor ? { floor: { description: 'a fourth memory store' } } : {}),
    ...(baselines.rawIsFloor ? { rawIsFloor: true } : {}),
    notes: [],
    async setup() {
      const id = ++databases;
      const storage = new MemoryStorage();
      return {
        createStore: async () => {
          log.push(`adapter@${id}`);
          return createMemoryEventStore({ storage });
        },
        openRaw: async () => {
          log.push(`raw@${id}`);
          return storeSubject(createMemoryEventStore({ storage }));
        },
        openMinimal: async () => {
          log.push(`minimal@${id}`);
          return storeSubject(createMemoryEventStore({ storage }));
        },
        openFloor: async () => {
          log.push(`floor@${id}`);
          return storeSubject(createMemoryEventStore({ storage }));
        },
        async seed(plan) {
          const store = createMemoryEventStore({ storage });
          for (const streamId of plan.streamIds) {
            await store.append(
              streamId,
              Array.from({ length: plan.eventsPerStream }, () => ({ type: 'seeded', data: {} })),
            );
          }
        },
        async teardown() {
          log.push(`teardown@${id}`);
        },
      };
    },
  };
}

describe('runBench', () => {
  it('alternates adapter and raw runs, each on a fresh database that is torn down', async () => {
    const log: string[] = [];
    const [w1] = WORKLOADS;
    const results = await runBench([recordingTarget(log)], [w1!], {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    const opened = log.filter((entry) => !entry.startsWith('teardown'));
    expect(opened).toEqual(['adapter@1', 'raw@2', 'raw@3', 'adapter@4', 'adapter@5', 'raw@6']);
    expect(log.filter((entry) => entry.startsWith('teardown'))).toHaveLength(6);
    expect(results).toHaveLength(1);
    expect(results[0]!.adapter.samples).toHaveLength(3);
    expect(results[0]!.raw?.samples).toHaveLength(3);
    const { adapter, raw, pairedRatios, ratio } = results[0]!;
    expect(pairedRatios).toEqual(raw!.samples.map((r, i) => adapter.samples[i]! / r));
    expect(ratio).toBe([...pairedRatios].sort((a, b) => a - b)[1]);
    expect(results[0]!.goal).toBe(0.5);
  });

  it('interleaves three sides (A R M, M R A, A R M), each on a fresh database, and pairs both ratios per run', async () => {
    const log: string[] = [];
    const [w1] = WORKLOADS;
    const [result] = await runBench([recordingTarget(log, { raw: true, minimal: true })], [w1!], {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    expect(log.filter((entry) => !entry.startsWith('teardown'))).toEqual([
      'adapter@1',
      'raw@2',
      'minimal@3',
      'minimal@4',
      'raw@5',
      'adapter@6',
      'adapter@7',
      'raw@8',
      'minimal@9',
    ]);
    expect(log.filter((entry) => entry.startsWith('teardown'))).toHaveLength(9);
    const { adapter, raw, minimal, pairedRatios, minimalPairedRatios } = result!;
    expect(minimal?.samples).toHaveLength(3);
    // Both ratios pair the adapter's run with the baselines' runs of the same round.
    expect(pairedRatios).toEqual(raw!.samples.map((r, i) => adapter.samples[i]! / r));
    expect(minimalPairedRatios).toEqual(minimal!.samples.map((m, i) => adapter.samples[i]! / m));
    expect(result!.minimalRatio).toBe([...minimalPairedRatios].sort((a, b) => a - b)[1]);
    expect(result!.minimalTarget).toBe(0.8);
    expect(result!.minimalPass).toBe(result!.minimalRatio! >= 0.8);
    // The same-SQL ratio keeps its own goal.
    expect(result!.goal).toBe(0.5);
  });

  it('runs the adapter against the minimal store alone where there is no raw baseline (A M, M A, ...)', async () => {
    const log: string[] = [];
    const [w1] = WORKLOADS;
    const [result] = await runBench([recordingTarget(log, { raw: false, minimal: true })], [w1!], {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    expect(log.filter((entry) => !entry.startsWith('teardown'))).toEqual([
      'adapter@1',
      'minimal@2',
      'minimal@3',
      'adapter@4',
      'adapter@5',
      'minimal@6',
    ]);
    expect(result!.raw).toBeUndefined();
    expect(result!.ratio).toBeUndefined();
    expect(result!.goal).toBeUndefined();
    expect(result!.minimalRatio).toBeGreaterThan(0);
  });

  it('runs a floor baseline in the same rounds and pairs the adapter with it (A R M F, F M R A, ...)', async () => {
    const log: string[] = [];
    const [w1] = WORKLOADS;
    const target = recordingTarget(log, { raw: true, minimal: true, floor: true });
    const [result] = await runBench([target], [w1!], { scale: TINY, warmup: undefined, onProgress() {} });
    expect(log.filter((entry) => !entry.startsWith('teardown')).map((e) => e.split('@')[0])).toEqual([
      ...['adapter', 'raw', 'minimal', 'floor'],
      ...['floor', 'minimal', 'raw', 'adapter'],
      ...['adapter', 'raw', 'minimal', 'floor'],
    ]);
    const { adapter, floor } = result!;
    const paired = floor!.samples.map((f, i) => adapter.samples[i]! / f).sort((a, b) => a - b);
    expect(result!.floorRatio).toBe(paired[1]);
  });

  it('takes the raw ratio as the floor ratio when the raw side is the floor, with no fourth side', async () => {
    const log: string[] = [];
    const [w1] = WORKLOADS;
    const target = recordingTarget(log, { raw: true, minimal: true, rawIsFloor: true });
    const [result] = await runBench([target], [w1!], { scale: TINY, warmup: undefined, onProgress() {} });
    expect(log.some((entry) => entry.startsWith('floor@'))).toBe(false);
    expect(result!.floor).toBeUndefined();
    expect(result!.floorRatio).toBeDefined();
    expect(result!.floorRatio).toBe(result!.ratio);
  });

  it('leaves the minimal columns empty for a target without a minimal store', async () => {
    const [w1] = WORKLOADS;
    const [result] = await runBench([recordingTarget([])], [w1!], {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    expect(result!.minimal).toBeUndefined();
    expect(result!.minimalRatio).toBeUndefined();
    expect(result!.minimalPass).toBeUndefined();
    expect(result!.floor).toBeUndefined();
    expect(result!.floorRatio).toBeUndefined();
  });

  it('runs every workload to completion, including the seeded reads', async () => {
    const results = await runBench([recordingTarget([], { raw: true, minimal: true })], WORKLOADS, {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    expect(results.map((r) => r.workload)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5']);
    for (const r of results) {
      expect(r.adapter.median).toBeGreaterThan(0);
      expect(r.minimal?.median).toBeGreaterThan(0);
    }
  });
});
