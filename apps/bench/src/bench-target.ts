import type { EventStore, NewEvent } from '@strata/core';
import type { BenchScale } from './bench-scale.js';
import type { WorkloadId } from './workloads/workload.js';

/**
 * The operations every workload is written against. The adapter side wraps an `EventStore`
 * (`storeSubject`); a raw baseline implements the same calls with the bare driver and the
 * store's own SQL, so the two sides differ only by what the adapter adds.
 */
export interface BenchSubject {
  /** Appends `events` if the stream is exactly at `expectedVersion`; throws otherwise. */
  append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void>;
  /** Reads the whole stream in version order and returns how many events it decoded. */
  readStream(streamId: string): Promise<number>;
  /** Reads one page of the global log after `after`. */
  readAll(after: bigint, limit: number): Promise<ReadAllPage>;
  close(): Promise<void>;
}

export interface ReadAllPage {
  count: number;
  /** Position of the page's last event; `undefined` for an empty page. */
  lastPosition: bigint | undefined;
}

/** Events written before a workload starts (not timed), round-robin over the streams. */
export interface SeedPlan {
  streamIds: readonly string[];
  eventsPerStream: number;
}

/** One fresh database for one measured run. */
export interface TargetDatabase {
  createStore(): Promise<EventStore>;
  /** The bare driver doing the store's SQL; absent when there is no raw equivalent (memory). */
  openRaw?(): Promise<BenchSubject>;
  /** The minimal hand-written event store (issue 12), under its own table or key prefix; present when the target declares `minimal`. */
  openMinimal?(): Promise<BenchSubject>;
  /** The floor baseline (see `BenchTarget.floor`); present when the target declares `floor`. */
  openFloor?(): Promise<BenchSubject>;
  /** Preloads events as fast as the backend allows; the result must be readable by every side. */
  seed(plan: SeedPlan): Promise<void>;
  /** Removes everything `setup` created. */
  teardown(): Promise<void>;
}

/**
 * A backend to benchmark. Adding one (PostgreSQL, MySQL, Redis, tiered) is one file under
 * `src/targets/` plus a line in `target-registry.ts`.
 */
export interface BenchTarget {
  /** Unique, e.g. `sqlite-normal`. */
  readonly name: string;
  /** What `--target` matches, e.g. `sqlite` selects every SQLite variant. */
  readonly family: string;
  /** Shown in the table, e.g. `sqlite synchronous=NORMAL`. */
  readonly label: string;
  /** Minimum adapter/raw ratio per workload; workloads without one are reported, not judged. */
  readonly goals: Partial<Record<WorkloadId, number>>;
  /** Raw events/s measured earlier on the reference machine, printed to sanity-check a run. */
  readonly rawReference: Partial<Record<WorkloadId, number>>;
  /** What the raw side is (e.g. `better-sqlite3 running the store's SQL`); `undefined` when there is none. */
  readonly rawBaseline: string | undefined;
  /**
   * The second baseline (issue 12): a minimal hand-written event store on the same engine, one
   * table or key layout with none of the store's extra indexes and bookkeeping. Its ratios are
   * reported against `targets`, never failing the run: they are the goals of the work to come.
   */
  readonly minimal?: MinimalBaseline;
  /**
   * A floor below which issue 12's target sits: the minimal store plus what the contract cannot do
   * without (e.g. the index that event-id uniqueness needs). Run in the same interleaved rounds;
   * the adapter's ratio to it is printed beside the others.
   */
  readonly floor?: FloorBaseline;
  /**
   * The raw side is the floor itself (Redis, where no same-SQL side exists): its ratio is then also
   * the adapter's ratio to the floor, and issue 12's targets are restated against it.
   */
  readonly rawIsFloor?: boolean;
  /** Notes printed under the table (e.g. how concurrency behaves on this backend). */
  readonly notes: readonly string[];
  /**
   * Adapter-rate comparisons between this target's workloads, judged after the ratios: e.g. W2
   * (8 concurrent appenders) must beat W1 on a server that can run transactions in parallel.
   */
  readonly scaling?: readonly ScalingGoal[];
  /** Shrinks (or grows) the workloads for this target, e.g. where every commit waits for an fsync. */
  scaleFor?(scale: BenchScale): BenchScale;
  /**
   * Why this target cannot run here (e.g. its server is unreachable), or `undefined` when it can.
   * Targets without a probe always run.
   */
  probe?(): Promise<string | undefined>;
  setup(): Promise<TargetDatabase>;
  /** Releases what the target keeps across runs (seed templates, pools); called once at the end. */
  dispose?(): Promise<void>;
}

/** The adapter's rate on `faster` must exceed its rate on `than` (both in events/s). */
export interface ScalingGoal {
  readonly faster: WorkloadId;
  readonly than: WorkloadId;
}

/** What the floor baseline adds to the minimal store, and why no store can do with less. */
export interface FloorBaseline {
  readonly description: string;
}

/** What the minimal store is on this engine, and the adapter/minimal ratios issue 12 aims for. */
export interface MinimalBaseline {
  /** e.g. `one table, BEGIN IMMEDIATE, SELECT MAX(version), one multi-row INSERT, COMMIT`. */
  readonly description: string;
  /** Minimum adapter/minimal ratio per workload: reported as PASS or MISS, never failing the run. */
  readonly targets: Partial<Record<WorkloadId, number>>;
}
