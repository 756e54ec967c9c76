import { expect } from 'vitest';
import { runBench } from '../../src/bench-runner.js';
import type { BenchTarget } from '../../src/bench-target.js';
import { WORKLOADS } from '../../src/workloads/workload-registry.js';
import { TINY_SCALE } from './tiny-scale.js';

/** Runs W1-W5 once per side at the tiny scale and expects every side the target has (raw, minimal, floor) to have measured each. */
export async function expectEveryWorkloadRuns(target: BenchTarget): Promise<void> {
  const results = await runBench([target], WORKLOADS, {
    scale: { ...TINY_SCALE, runs: 1 },
    warmup: undefined,
    onProgress() {},
  });
  const hasRaw = target.rawBaseline !== undefined;
  const hasMinimal = target.minimal !== undefined;
  const hasFloor = target.floor !== undefined;
  expect(
    results.map((r) => [
      r.workload,
      r.adapter.median > 0,
      (r.raw?.median ?? 0) > 0,
      (r.minimal?.median ?? 0) > 0,
      (r.floor?.median ?? 0) > 0,
    ]),
  ).toEqual(['W1', 'W2', 'W3', 'W4', 'W5'].map((id) => [id, true, hasRaw, hasMinimal, hasFloor]));
}

/** Calls `inspect` each time one of the target's runs has opened its store, before it is timed. */
export function inspectEachStore(target: BenchTarget, inspect: () => Promise<void>): void {
  const setup = target.setup.bind(target);
  target.setup = async () => {
    const database = await setup();
    const createStore = database.createStore.bind(database);
    database.createStore = async () => {
      const store = await createStore();
      await inspect();
      return store;
    };
    return database;
  };
}
