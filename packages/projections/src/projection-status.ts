import type { RebuildProgress } from './rebuild-progress.js';

/**
 * - `stopped`: not running (never started, or stopped cleanly).
 * - `running`: following the log (under a lease: holding it).
 * - `standby`: waiting for the lease another runner holds; takes over when it is free.
 * - `rebuilding`: replaying the log from the start after `rebuild()` reset the read model.
 * - `failed`: stopped by an error it could not get past (see `lastError`); `start()` resumes from
 *   the checkpoint.
 */
export type ProjectionState = 'stopped' | 'running' | 'standby' | 'rebuilding' | 'failed';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** While a rebuild replays the log: how far it has got (see `rebuild()`). */
  rebuild: RebuildProgress | undefined;
  /** The last position saved (or loaded, as this runner found it); `undefined` before the first save. */
  checkpoint: bigint | undefined;
  /**
   * The last position applied to the read model. Ahead of `checkpoint` while an at-least-once
   * runner catching up has batches applied but not saved yet (see `checkpointEvery`): a crash
   * would apply the events between the two again. Equal to it otherwise.
   */
  applied: bigint | undefined;
  /** Events handed to the projector since this runner was created. */
  eventsProcessed: number;
  /** Events sent to the dead-letter store since this runner was created. */
  deadLettered: number;
  /** Events processed per second over the last minute. */
  eventsPerSecond: number;
  lastError: unknown;
  /** The fence of the lease this runner holds; `undefined` without a lease or while on standby. */
  leaseFence: bigint | undefined;
}

/** How far a projector is behind the log's head, measured by reading the log after its checkpoint. */
export interface ProjectionLag {
  /** Events after the checkpoint, counted up to `countLimit`. */
  events: number;
  /** True when there were more than `countLimit`: `events` is then a lower bound. */
  atLeast: boolean;
  /** Seconds since the oldest unprocessed event was recorded; 0 when caught up. */
  seconds: number;
}

/** Events per second over a sliding window, kept as one counter per second. */
export class ThroughputMeter {
  private readonly buckets = new Map<number, number>();

  constructor(
    private readonly windowSeconds = 60,
    private readonly now: () => number = Date.now,
  ) {}

  record(count: number): void {
    const second = Math.floor(this.now() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    for (const key of this.buckets.keys()) if (key <= second - this.windowSeconds) this.buckets.delete(key);
  }

  perSecond(): number {
    const oldest = Math.floor(this.now() / 1000) - this.windowSeconds;
    let total = 0;
    for (const [second, count] of this.buckets) if (second > oldest) total += count;
    return total / this.windowSeconds;
  }
}
