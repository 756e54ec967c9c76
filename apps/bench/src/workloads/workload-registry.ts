import { batchAppends, concurrentAppends, singleAppends } from './append-workloads.js';
import { logReads, streamReads } from './read-workloads.js';
import type { Workload } from './workload.js';

/** Every workload, in report order. */
export const WORKLOADS: readonly Workload[] = [
  singleAppends,
  concurrentAppends,
  batchAppends,
  streamReads,
  logReads,
];
