import type { BenchScale } from '../bench-scale.js';
import type { BenchSubject, SeedPlan } from '../bench-target.js';

export const WORKLOAD_IDS = ['W1', 'W2', 'W3', 'W4', 'W5'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  /** The sizes this scale uses, printed so a reader knows what a number means. */
  describe(scale: BenchScale): string;
  /** Events to preload before the timed part; omitted when the workload starts empty. */
  seed?(scale: BenchScale): SeedPlan;
  /** The timed part. Returns the number of events written or read. */
  run(subject: BenchSubject, scale: BenchScale): Promise<number>;
}
