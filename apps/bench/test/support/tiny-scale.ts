import type { BenchScale } from '../../src/bench-scale.js';
import { WARMUP_SCALE } from '../../src/bench-scale.js';

/** Every workload, small enough for a unit test: checks the harness and targets, not speed. */
export const TINY_SCALE: BenchScale = {
  ...WARMUP_SCALE,
  runs: 3,
  singleAppends: 40,
  streams: 16,
  batchEvents: 200,
  batchSize: 100,
  batchStreams: 2,
  streamLength: 50,
  streamReads: 2,
  logEvents: 300,
  logStreams: 3,
  pageSize: 100,
};
