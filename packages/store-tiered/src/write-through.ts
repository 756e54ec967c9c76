import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  DuplicateEventError,
  type NewEvent,
  type RecordedEvent,
  StoreClosedError,
  ValidationError,
} from '@strata/core';
import type { HotOutcome } from './hot-access.js';
import type { HotCopyBounds } from './hot-tier.js';
import { isContiguous } from './read-range.js';
import type { TierContext } from './tier-context.js';

/**
 * Appends with a hot tier. The warm store commits first; only then is the hot tier changed, in the
 * background, and nothing after the commit fails or delays the append. While the warm store
 * works, the stream's copy is looked up in parallel, so an append to a stream without a copy
 * changes nothing in the hot tier. A copy ending exactly where the append began gets the new
 * events (read back from the warm store, so they are exactly what readers of warm get); any other
 * copy is deleted.
 */
export class WriteThrough {
  /** The last queued update of each stream: one stream's updates reach the hot tier in append order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly ctx: TierContext) {}

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions | undefined,
  ): Promise<AppendResult> {
    const { ctx } = this;
    const peek = ctx.access.usable ? ctx.access.run('peek', (hot) => hot.peek(streamId)) : undefined;
    const started = ctx.now();
    let result: AppendResult;
    try {
      result = await ctx.warm.append(streamId, events, options);
    } catch (error) {
      if (ConcurrencyError.isInstance(error)) {
        // The caller will reload and retry: make sure the reload does not meet an old copy.
        await ctx.invalidate(streamId, 'conflict');
      } else if (!writesNothing(error)) {
        // The append may have committed before the failure: the copy may be behind.
        await ctx.invalidate(streamId, 'append');
      }
      throw error;
    }
    if (ctx.policy.consistency === 'bounded') ctx.recent.record(streamId, result.lastVersion, ctx.now());
    ctx.background(() => this.enqueue(streamId, () => this.update(streamId, result, peek, started)));
    return result;
  }

  private enqueue(streamId: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(streamId) ?? Promise.resolve()).then(task);
    this.queues.set(streamId, next);
    return next.finally(() => {
      if (this.queues.get(streamId) === next) this.queues.delete(streamId);
    });
  }

  private async update(
    streamId: string,
    result: AppendResult,
    peeking: Promise<HotOutcome<HotCopyBounds | undefined>> | undefined,
    started: number,
  ): Promise<void> {
    const { ctx } = this;
    const peek = await peeking;
    if (peek === undefined || !peek.ok) {
      this.failed(streamId, peek?.error ?? new Error('the circuit breaker is open'));
      return;
    }
    const copy = peek.value;
    const after = result.firstVersion - 1;
    const last = result.lastVersion;
    // No copy to keep current, or one that already holds these versions (an idempotent retry).
    if (copy === undefined || copy.toVersion >= last) return;
    // A copy seen behind `after` may be one this store's previous update (queued before this one)
    // has extended since: the script decides on the copy as it is when it runs.
    const appended = await this.readBack(streamId, after, last);
    const outcome = await ctx.access.run('extend', (hot) =>
      hot.extend(streamId, after, last, appended, ctx.write(started)),
    );
    if (!outcome.ok) {
      this.failed(streamId, outcome.error);
      return;
    }
    if (outcome.value === 'extended') ctx.metrics.writeThrough(streamId, last);
    else if (outcome.value === 'dropped') ctx.metrics.invalidation(streamId, 'append');
  }

  /** The appended events as the warm store recorded them; `[]` (the copy is then dropped) if that fails. */
  private async readBack(streamId: string, after: number, last: number): Promise<RecordedEvent[]> {
    try {
      const events = await this.ctx.warm.readStream(streamId, { fromVersion: after + 1, toVersion: last });
      const complete =
        events.length === last - after && events[0]?.version === after + 1 && isContiguous(events);
      return complete ? events : [];
    } catch {
      return [];
    }
  }

  /** The hot tier could not be updated: this store reads the stream from warm until its copy is deleted. */
  private failed(streamId: string, error: unknown): void {
    this.ctx.pending.add(streamId);
    this.ctx.metrics.writeThroughFailure(streamId, error);
  }
}

function writesNothing(error: unknown): boolean {
  return (
    ValidationError.isInstance(error) ||
    DuplicateEventError.isInstance(error) ||
    StoreClosedError.isInstance(error)
  );
}
