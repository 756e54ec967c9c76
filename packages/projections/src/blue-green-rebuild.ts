import { ValidationError } from '@strata/core';
import type { ProjectionRunner } from './projection-runner.js';
import type { RebuildProgress } from './rebuild-progress.js';

export interface BlueGreenRebuildOptions {
  /** The runner of the read model that serves now; it goes on serving until the swap. */
  live: ProjectionRunner;
  /**
   * The runner of the new version: its own projector name (so its own checkpoint and lease), such
   * as `orders@v2`, writing into a target of its own (a new table, a new key prefix).
   */
  next: ProjectionRunner;
  /** Creates or empties the new version's target before its replay (as `rebuild`'s `reset`). */
  prepare: () => void | Promise<void>;
  /**
   * Puts the new version in the old one's place: rename the tables, flip the pointer readers follow.
   * Called once the new version has caught up with the log's head, after the old runner stopped.
   */
  swap: () => void | Promise<void>;
  onProgress?: (progress: RebuildProgress) => void;
}

/**
 * A blue/green rebuild: builds a new version of a read model beside the live one, and only once it
 * has caught up with the log's head puts it in the live one's place.
 *
 * 1. `next` rebuilds into its own target from the start of the log (`prepare`, then the replay,
 *    with progress), then follows the log: it is left running.
 * 2. `live` stops (it finishes the batch in hand), so it never writes into a target the swap renames.
 * 3. `swap()` runs. If it throws, `live` starts again (if it was running), `next` stops, and the
 *    error is thrown: the old version goes on serving from its own checkpoint.
 *
 * A failure before the swap (in `prepare` or the replay) stops `next` and leaves `live` serving, as
 * if nothing happened. Resolves with the replay's final progress. The old version's checkpoint and
 * target stay where they are, for you to remove.
 */
export async function blueGreenRebuild(options: BlueGreenRebuildOptions): Promise<RebuildProgress> {
  const { live, next, prepare, swap, onProgress } = options;
  if (live === next || live.status().name === next.status().name) {
    throw new ValidationError('next', 'needs a projector name of its own, such as "orders@v2"');
  }
  if (typeof swap !== 'function') throw new ValidationError('swap', 'must be a function');
  let progress: RebuildProgress;
  try {
    progress = await next.rebuild({ reset: prepare, ...(onProgress === undefined ? {} : { onProgress }) });
    next.start();
  } catch (error) {
    await next.stop();
    throw error;
  }
  const liveState = live.status().state;
  const liveWasRunning = liveState !== 'stopped' && liveState !== 'failed';
  await live.stop();
  try {
    await swap();
  } catch (error) {
    if (liveWasRunning) live.start();
    await next.stop();
    throw error;
  }
  return progress;
}
