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
import { DetachedAppendResult } from './detached-events.js';
import { HotLooks } from './hot-looks.js';
import { isContiguous } from './read-range.js';
import type { TierContext } from './tier-context.js';

/**
 * Appends with a hot tier. The warm store commits first; only then is the hot tier changed, in the
 * background, and nothing after the commit fails or delays the append. A look at the copy's
 * bounds comes first: a stream without a copy, or with one that already holds the append, costs
 * that look and nothing else (most appends: the events are not sent for nothing). Otherwise the
 * append's events, as the warm store recorded them (read back from warm if the append did not
 * return them), go to the hot tier in one script that appends them to a copy ending exactly where
 * the append began, keeps a copy that already holds them, and deletes any other copy. That script
 * decides on the copy as it is when it runs, so a look that is out of date by then changes nothing:
 * skipping after the look is what the script would have done at the look's moment. The looks of
 * concurrent appends go to the hot tier together (`HotLooks`), one round trip for all.
 *
 * Why no hot-tier call has to finish before `append` returns (issue 12 looked for one to move off
 * the append's path: there is none; what the write-through costs is the CPU of its round trip):
 * - Never partial: each change to a copy is one script that leaves it contiguous and matching its
 *   header, or deletes it; readers check what they get against the header.
 * - Never stale is decided when a copy is read, not when it is written. A copy is served only when
 *   the versions it holds settle the answer (they never change), or (strict) warm's version, looked
 *   up after the read began, equals its end, or (bounded) its `verifiedAt` is within the bound and
 *   it reaches this store's own appends (`recent`, recorded before the append returns). Every
 *   writer keeps what `verifiedAt` promises (each append that committed before it is in the copy):
 *   a promotion's is when its warm read began; an extension's is when its append began, and any
 *   append committed before that has a lower version than this one's first.
 * - So a write-through that never lands leaves a copy behind, never wrong: a promotion of a warm
 *   read older than the commit landing after it (the reader may be another process on a slow
 *   link; only a fence every append moves in Redis could refuse it, a round trip per append
 *   again), a lost update, a look out of date. Strict readers find
 *   it behind and top it up; bounded ones serve it only within the bound (and never to this
 *   store, through `recent`); the stream's next write-through deletes it (it does not end where
 *   that append begins). What does need Redis before returning is only the failure paths below:
 *   a copy this store cannot tell is behind its own append (outcome unknown) is deleted, or
 *   remembered and read from warm until it is.
 * - Rewrites keep versions, so none of this sees them: `rewrite-through.ts` bars the stream first.
 *
 * A stream's first append (version 1 on) skips the look too: a copy holds only versions read from
 * warm or recorded by a warm commit, and it always ends at a proven end of the stream, so before
 * this commit no copy of the stream could exist and after it any copy reaches at least its last
 * version. The script would keep such a copy or find none. (A warm store restored from a backup
 * breaks that premise, and the rest of this protocol with it: delete the hot keys, see the README.)
 *
 * So does an append to a stream this store knows has no copy (`AbsentCopies`): known since its
 * first append or a look that found none, until a notice says a promotion stored one. A notice
 * can arrive after an append it should have changed, as a look can be out of date: the copy is
 * then left behind, which the points above allow, and the next look deletes or extends it.
 */
export class WriteThrough {
  /** The last queued update of each stream: one stream's updates reach the hot tier in append order. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly looks: HotLooks;

  constructor(private readonly ctx: TierContext) {
    this.looks = new HotLooks(ctx.access);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions | undefined,
  ): Promise<AppendResult> {
    const { ctx } = this;
    const started = ctx.now();
    const mark = ctx.absent.mark();
    let result: AppendResult;
    try {
      result = await ctx.warm.append(streamId, events, options);
    } catch (error) {
      if (ConcurrencyError.isInstance(error)) {
        // The caller will reload and retry: make sure the reload does not meet an old copy. Deleting
        // it is not enough in bounded mode: another reader's promotion of an old copy may land
        // after the delete, verified recently enough to be served. Remembered like an append of
        // its own, the version the error reported makes this store check any copy short of it.
        if (ctx.policy.consistency === 'bounded') ctx.recent.record(streamId, error.actualVersion, ctx.now());
        await ctx.invalidate(streamId, 'conflict');
      } else if (!writesNothing(error)) {
        // The append may have committed before the failure: the copy may be behind.
        await ctx.invalidate(streamId, 'append');
      }
      throw error;
    }
    if (ctx.policy.consistency === 'bounded') ctx.recent.record(streamId, result.lastVersion, ctx.now());
    // A stream's first append has no copy to extend (see above): not even the look is sent, and
    // the stream is known to have none until a notice says otherwise. Nor is it sent for a stream
    // already known to have none.
    if (result.firstVersion === 1) {
      ctx.absent.record(streamId, mark);
      ctx.metrics.lookSkipped();
    } else if (ctx.absent.has(streamId)) ctx.metrics.lookSkipped();
    else {
      ctx.metrics.look();
      ctx.background(() => this.enqueue(streamId, () => this.update(streamId, result, started)));
    }
    return new DetachedAppendResult(result);
  }

  private enqueue(streamId: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(streamId) ?? Promise.resolve()).then(task);
    this.queues.set(streamId, next);
    return next.finally(() => {
      if (this.queues.get(streamId) === next) this.queues.delete(streamId);
    });
  }

  /** Nothing to do for no copy or one that holds the append already; else the events go to the copy. */
  private async update(streamId: string, result: AppendResult, started: number): Promise<void> {
    const after = result.firstVersion - 1;
    const last = result.lastVersion;
    const mark = this.ctx.absent.mark();
    const peek = await this.looks.look(streamId);
    if (!peek.ok) {
      this.failed(streamId, peek.error);
      return;
    }
    const copy = peek.value;
    if (copy === undefined) {
      this.ctx.absent.record(streamId, mark);
      return;
    }
    if (copy.toVersion >= last) return;
    // A copy seen behind `after` may be one this store's previous update (queued before this one)
    // has extended since: the script decides on the copy as it is when it runs.
    const events = recorded(result, after, last) ?? (await this.readBack(streamId, after, last));
    await this.extend(streamId, after, last, events, started);
  }

  private async extend(
    streamId: string,
    after: number,
    last: number,
    events: readonly RecordedEvent[],
    started: number,
  ): Promise<void> {
    const { ctx } = this;
    const outcome = await ctx.access.run('extend', (hot) =>
      hot.extend(streamId, after, last, events, ctx.write(started)),
    );
    if (!outcome.ok) {
      this.failed(streamId, outcome.error);
      return;
    }
    if (outcome.value === 'extended') ctx.metrics.writeThrough(streamId, last);
    else if (outcome.value === 'dropped') ctx.metrics.invalidation(streamId, 'append');
  }

  /** The appended events as the warm store recorded them; `[]` (the copy is then dropped) if that fails. */
  private async readBack(streamId: string, after: number, last: number): Promise<readonly RecordedEvent[]> {
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
    this.ctx.access.remember(streamId);
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

/** The append's own recorded events when the warm store returned them complete, else `undefined`. */
function recorded(result: AppendResult, after: number, last: number): readonly RecordedEvent[] | undefined {
  const events = result.events;
  if (events === undefined || events.length !== last - after || events[0]?.version !== after + 1)
    return undefined;
  return isContiguous(events) ? events : undefined;
}
