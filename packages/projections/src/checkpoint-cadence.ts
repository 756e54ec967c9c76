import { ValidationError } from '@strata/core';

/**
 * How often an at-least-once runner saves its checkpoint while it catches up (full pages, more to
 * read). A save is due once either bound is reached; a bound left out never makes one due. At the
 * log's head, on `stop()`, before a rebuild resolves and before a failed run gives up, the runner
 * saves whatever it applied, whatever the cadence says.
 */
export interface CheckpointEvery {
  /** Save once this many events were read since the last save (`1`: after every batch). */
  events?: number;
  /** Save once the oldest unsaved batch started this long ago (`0`: after every batch). */
  milliseconds?: number;
}

/**
 * About one save a second while catching up: a crash then re-delivers at most about a second's
 * work, and a replay no longer pays a commit per batch (one fsync each on SQLite).
 */
export const DEFAULT_CHECKPOINT_EVERY: Readonly<CheckpointEvery> = { milliseconds: 1_000 };

/** Counts what an at-least-once runner applied since its last save, and says when a save is due. */
export class CheckpointCadence {
  private readonly events: number;
  private readonly milliseconds: number;
  private unsavedEvents = 0;
  private unsavedSince: number | undefined;

  constructor(every: CheckpointEvery = DEFAULT_CHECKPOINT_EVERY) {
    if (typeof every !== 'object' || every === null || (every.events ?? every.milliseconds) === undefined) {
      throw new ValidationError(
        'checkpointEvery',
        'must name events, milliseconds or both, such as { milliseconds: 1000 }',
      );
    }
    const { events, milliseconds } = every;
    if (events !== undefined && !(Number.isSafeInteger(events) && events >= 1)) {
      throw new ValidationError('checkpointEvery.events', 'must be an integer of at least 1');
    }
    if (milliseconds !== undefined && !(Number.isFinite(milliseconds) && milliseconds >= 0)) {
      throw new ValidationError('checkpointEvery.milliseconds', 'must be a finite number of at least 0');
    }
    this.events = events ?? Number.POSITIVE_INFINITY;
    this.milliseconds = milliseconds ?? Number.POSITIVE_INFINITY;
  }

  /** A batch of `read` events, begun at `startedAt` (`Date.now()`), was applied: is a save due? */
  applied(read: number, startedAt: number): boolean {
    this.unsavedEvents += read;
    this.unsavedSince ??= startedAt;
    return this.unsavedEvents >= this.events || Date.now() - this.unsavedSince >= this.milliseconds;
  }

  /** Nothing is unsaved any more: saved, loaded afresh, or left for the next runner to apply again. */
  reset(): void {
    this.unsavedEvents = 0;
    this.unsavedSince = undefined;
  }
}
