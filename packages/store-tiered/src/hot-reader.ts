import type { NormalizedReadStream, RecordedEvent } from '@strata/core';
import { HotHints } from './hot-hints.js';
import type { HotCopyBounds, HotRead } from './hot-tier.js';
import { answer, ascending, isContiguous, OPEN_END, reachesStreamEnd, settledBy } from './read-range.js';
import type { TierContext } from './tier-context.js';

/**
 * The read paths with a hot tier. A copy answers a read only when it holds the range's start and
 * either the answer depends only on versions the copy holds (they never change), or the copy is
 * current: confirmed by the warm store's version (strict, and bounded past its bound) or verified
 * less than `maxStalenessMs` ago (bounded).
 */
export class HotReader {
  private readonly hints = new HotHints();

  constructor(private readonly ctx: TierContext) {}

  async readStream(streamId: string, range: NormalizedReadStream): Promise<RecordedEvent[]> {
    const { ctx } = this;
    if (!ctx.usableFor(streamId)) {
      ctx.metrics.miss(streamId, 'unavailable');
      return ctx.warmReader.readStream(streamId, range);
    }
    const strict = ctx.policy.consistency === 'strict';
    let checkStart = ctx.now();
    // A strict read that no copy can settle alone checks the version alongside the hot read, when
    // the stream is likely to have a copy.
    let version =
      strict && !mayBeSettled(range) && this.hints.likelyCovered(streamId)
        ? quiet(ctx.warm.streamVersion(streamId))
        : undefined;
    const outcome = await ctx.access.run('read', (hot) => hot.read(streamId, range, this.refreshTtl()));
    if (!outcome.ok) {
      ctx.metrics.miss(streamId, 'unavailable');
      return ctx.warmReader.readStream(streamId, range);
    }
    const read = outcome.value;
    this.hints.saw(streamId, read.kind === 'covered');
    if (read.kind !== 'covered') return this.missRead(streamId, range, read);

    const { copy, events } = read;
    if (settledBy(range, copy.toVersion) || ctx.freshEnough(streamId, copy, ctx.now())) {
      ctx.metrics.hit(streamId);
      return answer(events, range);
    }
    const parallel = version !== undefined;
    if (version === undefined) {
      checkStart = ctx.now();
      version = quiet(ctx.warm.streamVersion(streamId));
    }
    let current = await version.value();
    if (current < copy.toVersion && parallel) {
      // The lookup ran alongside the hot read: an append may have committed, and reached the copy,
      // in between. Looked up again after the hot read, the version can no longer be behind the copy.
      checkStart = ctx.now();
      current = await ctx.warm.streamVersion(streamId);
    }
    if (current === copy.toVersion) {
      if (!strict) ctx.background(() => this.confirm(streamId, current, checkStart));
      ctx.metrics.hit(streamId);
      return answer(events, range);
    }
    ctx.metrics.miss(streamId, 'stale');
    if (current < copy.toVersion) {
      // Only a warm store restored from an older backup gets behind its cache.
      await ctx.invalidate(streamId, 'ahead');
      return this.warmAndPromote(streamId, range);
    }
    return this.topUp(streamId, range, copy, events);
  }

  /** Reads the warm store and, if the answer reaches the stream's end, makes it the copy. */
  async warmAndPromote(streamId: string, range: NormalizedReadStream): Promise<RecordedEvent[]> {
    const started = this.ctx.now();
    const events = await this.ctx.warmReader.readStream(streamId, range);
    const inOrder = ascending(events, range);
    if (reachesStreamEnd(inOrder, range)) this.ctx.background(() => this.promote(streamId, inOrder, started));
    return events;
  }

  /** Stores `events` (ascending, up to the stream's end as of `verifiedAt`) as the stream's copy. */
  async promote(streamId: string, events: RecordedEvent[], verifiedAt: number): Promise<void> {
    const { ctx } = this;
    const kept = events.length > ctx.policy.maxCopyEvents ? events.slice(-ctx.policy.maxCopyEvents) : events;
    const outcome = await ctx.access.run('promote', (hot) =>
      hot.promote(streamId, kept, ctx.write(verifiedAt)),
    );
    if (outcome.ok && outcome.value === 'stored') {
      ctx.metrics.promotion(streamId, kept[0]!.version, kept[kept.length - 1]!.version);
    }
  }

  private missRead(
    streamId: string,
    range: NormalizedReadStream,
    read: Exclude<HotRead, { kind: 'covered' }>,
  ) {
    if (read.kind === 'dropped') this.ctx.metrics.invalidation(streamId, 'broken');
    this.ctx.metrics.miss(streamId, read.kind === 'uncovered' ? 'uncovered' : 'absent');
    return this.warmAndPromote(streamId, range);
  }

  /** The copy is behind: read only the missing tail from warm, answer from both, append the tail to the copy. */
  private async topUp(
    streamId: string,
    range: NormalizedReadStream,
    copy: HotCopyBounds,
    held: RecordedEvent[],
  ): Promise<RecordedEvent[]> {
    const { ctx } = this;
    const started = ctx.now();
    const tail = await ctx.warm.readStream(streamId, { fromVersion: copy.toVersion + 1 });
    const last = tail[tail.length - 1];
    if (last === undefined || tail[0]!.version !== copy.toVersion + 1 || !isContiguous(tail)) {
      return this.warmAndPromote(streamId, range);
    }
    ctx.background(async () => {
      const outcome = await ctx.access.run('extend', (hot) =>
        hot.extend(streamId, copy.toVersion, last.version, tail, ctx.write(started)),
      );
      if (outcome.ok && outcome.value === 'extended') {
        ctx.metrics.promotion(streamId, tail[0]!.version, last.version);
      }
    });
    return answer([...held, ...tail], range);
  }

  async confirm(streamId: string, version: number, verifiedAt: number): Promise<void> {
    await this.ctx.access.run('confirm', (hot) => hot.confirm(streamId, version, verifiedAt));
  }

  private refreshTtl(): number | undefined {
    return this.ctx.policy.refreshTtlOnRead ? this.ctx.policy.ttlSeconds : undefined;
  }
}

/** Whether some copy could answer `range` without knowing the stream's current version. */
function mayBeSettled(range: NormalizedReadStream): boolean {
  return (
    range.limit === 0 ||
    range.toVersion !== OPEN_END ||
    (range.direction === 'forward' && range.limit !== undefined)
  );
}

/** A promise whose rejection is held until someone asks for the value, so an unused one cannot crash the process. */
function quiet<T>(promise: Promise<T>): { value: () => Promise<T> } {
  promise.catch(() => {});
  return { value: () => promise };
}
