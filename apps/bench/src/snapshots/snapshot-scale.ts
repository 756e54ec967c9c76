/** How much the snapshots suite measures. One place, so the printed description matches what ran. */
export interface SnapshotScale {
  readonly name: 'full' | 'quick';
  /** Interleaved rounds: each round runs one block of every case, in a rotated order. */
  readonly rounds: number;
  /** Lengths of the streams loaded. */
  readonly sizes: readonly number[];
  /** Timed loads per case and stream length, split evenly over the rounds. */
  readonly loads: Readonly<Record<number, number>>;
  /** Untimed loads per case before the rounds, so no case pays for JIT or cold statement caches. */
  readonly warmupLoads: number;
  /** Events per append while seeding a stream. */
  readonly seedBatch: number;
  /** Events in each save case's stream before its aggregate is loaded (so its state is full size). */
  readonly saveStreamEvents: number;
  /** Timed single-event saves per save case and mode, split evenly over the rounds. */
  readonly saves: number;
}

/**
 * About 10 seconds per target on two cores (twice that on a busy machine), most of it in the
 * 10,000-event loads without a snapshot. Many short rounds: a burst of load from another process
 * hits a slice of every case.
 */
export const SNAPSHOT_FULL_SCALE: SnapshotScale = {
  name: 'full',
  rounds: 20,
  sizes: [1_000, 10_000],
  loads: { 1000: 200, 10000: 100 },
  warmupLoads: 3,
  seedBatch: 500,
  saveStreamEvents: 100,
  saves: 200,
};

export const SNAPSHOT_QUICK_SCALE: SnapshotScale = {
  name: 'quick',
  rounds: 4,
  sizes: [1_000, 10_000],
  loads: { 1000: 20, 10000: 8 },
  warmupLoads: 1,
  seedBatch: 500,
  saveStreamEvents: 100,
  saves: 20,
};
