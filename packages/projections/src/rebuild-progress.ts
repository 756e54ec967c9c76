import { ValidationError } from '@strata/core';
import type { LogSpan } from './log-head.js';

/** How far a rebuild has got; `status().rebuild` and `onProgress` hand out this. */
export interface RebuildProgress {
  /** Events applied since the read model was reset. */
  eventsDone: number;
  /** Events applied per second since the rebuild started. */
  eventsPerSecond: number;
  /**
   * Seconds left at the current pace, estimated from how much of the log (by position) is behind
   * it; `undefined` until the first events are applied, 0 when done.
   */
  secondsLeft: number | undefined;
  /** The position it has reached. */
  position: bigint;
  /** The log's last position when the rebuild started: the replay counts as done once it has caught up with the head. */
  targetPosition: bigint;
  startedAt: Date;
  done: boolean;
}

export interface RebuildOptions {
  /**
   * Empties the read model (truncate the table, drop the keys). Called after the checkpoint was
   * moved back to the start, before the first event is applied again.
   */
  reset: () => void | Promise<void>;
  /** Called after every batch of the replay, and once more when it is done. */
  onProgress?: (progress: RebuildProgress) => void;
}

/** Checks rebuild options before anything is reset. */
export function checkRebuildOptions(options: RebuildOptions): void {
  if (typeof options !== 'object' || options === null || typeof options.reset !== 'function') {
    throw new ValidationError('options.reset', 'must be a function that empties the read model');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new ValidationError('options.onProgress', 'must be a function');
  }
}

/** One rebuild: its caller's promise, and the numbers its progress is computed from. */
export class RebuildRun {
  readonly finished: Promise<RebuildProgress>;
  private resolveFinished!: (progress: RebuildProgress) => void;
  private rejectFinished!: (error: unknown) => void;
  /** Set once the reset is done and the replay runs. */
  private span: { first: bigint; target: bigint; startedAt: number; baseline: number } | undefined;
  private latest: RebuildProgress | undefined;

  constructor(
    readonly options: RebuildOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // The caller may never await it (a rebuild of a running runner that then fails).
    this.finished.catch(() => undefined);
  }

  get started(): boolean {
    return this.span !== undefined;
  }

  /** The replay starts: `eventsProcessed` is the runner's count so far, `span` the log as it is now. */
  begin(eventsProcessed: number, span: LogSpan | undefined): void {
    this.span = {
      first: span?.first ?? 0n,
      target: span?.last ?? 0n,
      startedAt: this.now(),
      baseline: eventsProcessed,
    };
    // What `status().rebuild` shows until the first batch is applied.
    this.latest = {
      eventsDone: 0,
      eventsPerSecond: 0,
      secondsLeft: undefined,
      position: 0n,
      targetPosition: this.span.target,
      startedAt: new Date(this.span.startedAt),
      done: false,
    };
  }

  /** Records a batch of the replay and reports it. */
  advance(eventsProcessed: number, position: bigint, done: boolean): RebuildProgress {
    const span = this.span!;
    const eventsDone = eventsProcessed - span.baseline;
    const seconds = (this.now() - span.startedAt) / 1000;
    const eventsPerSecond = seconds > 0 ? eventsDone / seconds : 0;
    const reached = done || position >= span.target;
    let secondsLeft: number | undefined;
    if (reached) secondsLeft = 0;
    else if (eventsDone > 0 && eventsPerSecond > 0 && position > span.first) {
      const share = Number(position - span.first) / Number(span.target - span.first);
      const total = eventsDone / Math.min(1, share);
      secondsLeft = Math.max(0, (total - eventsDone) / eventsPerSecond);
    }
    this.latest = {
      eventsDone,
      eventsPerSecond,
      secondsLeft,
      position,
      targetPosition: span.target,
      startedAt: new Date(span.startedAt),
      done,
    };
    try {
      this.options.onProgress?.(this.latest);
    } catch {
      // A broken progress callback must not stop the rebuild.
    }
    return this.latest;
  }

  /** The last progress reported, if the replay has started. */
  get progress(): RebuildProgress | undefined {
    return this.latest;
  }

  succeed(progress: RebuildProgress): void {
    this.resolveFinished(progress);
  }

  fail(error: unknown): void {
    this.rejectFinished(error);
  }
}
