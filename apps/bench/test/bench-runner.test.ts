import { createMemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { runBench } from '../src/bench-runner.js';
import type { BenchTarget } from '../src/bench-target.js';
import { storeSubject } from '../src/store-subject.js';
import { WORKLOADS } from '../src/workloads/workload-registry.js';
import { TINY_SCALE } from './support/tiny-scale.js';

const TINY = TINY_SCALE;

/** Memory stores on both sides, recording which side ran on which database and in what order. */
function recordingTarget(log: string[]): BenchTarget {
  let databases = 0;
  return {
    name: 'recording',
    family: 'recording',
    label: 'recording',
    goals: { W1: 0.5 },
    rawReference: {},
    rawBaseline: 'a second memory store',
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

  it('runs every workload to completion, including the seeded reads', async () => {
    const results = await runBench([recordingTarget([])], WORKLOADS, {
      scale: TINY,
      warmup: undefined,
      onProgress() {},
    });
    expect(results.map((r) => r.workload)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5']);
    for (const r of results) expect(r.adapter.median).toBeGreaterThan(0);
  });
});
