import type { NormalizedReadStream, RecordedEvent } from '@strata/core';
import { detachedEvents } from './detached-events.js';
import { HotHints } from './hot-hints.js';
import type { HotCopyBounds, HotRead } from './hot-tier.js';
import { PageTrails } from './page-trails.js';
import {
  answer,
  ascending,
  isContiguous,
  isFullForwardPage,
  OPEN_END,
  reachesStreamEnd,
  settledBy,
} from './read-range.js';
import type { TierContext } from './tier-context.js';

/**
 * The read paths with a hot tier. A copy answers a read only when it holds the range's start and
 * either the answer depends only on versions the copy holds (they never change), or the copy is
 * current: confirmed by the warm store's version (strict, and bounded past its bound) or verified
 * less than `maxStalenessMs` ago (bounded).
 */
export class HotReader {
  private readonly hints = new HotHints();
  private readonly trails: PageTrails;

  constructor(private readonly ctx: TierContext) {
    this.trails = new PageTrails(ctx.policy.maxCopyEvents);
  }

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
    if (settledBy(range, copy.toVersion)) {
      ctx.metrics.hit(streamId);
      return answer(events, range);
    }
    if (ctx.freshEnough(streamId, copy, ctx.now())) {
      this.joinTrail(streamId, range, events, copy.verifiedAt);
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
      this.joinTrail(streamId, range, events, checkStart);
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

  /** Reads the warm store and, if the answer proves where the stream ends, makes that the copy. */
  async warmAndPromote(streamId: string, range: NormalizedReadStream): Promise<RecordedEvent[]> {
    const started = this.ctx.now();
    const events = await this.ctx.warmReader.readStream(streamId, range);
    this.learnFrom(streamId, range, ascending(events, range), started);
    return events;
  }

  /**
   * What a warm answer (ascending, read from `started` on) makes the copy. An answer that reaches
   * the stream's end does, joined to the full pages a paging reader read right before it: stored
   * versions never change, so the trail and the answer are one contiguous range that ended the
   * stream as of `started`. A full forward page proves nothing yet and joins the trail. An empty
   * forward answer right after a trail proves the trail ends the stream; with no trail (a load
   * after a snapshot at the head), the stream's last event is read in the background instead, an
   * open-ended backward read being an end proof of its own, so the next such read is a hit.
   */
  private learnFrom(
    streamId: string,
    range: NormalizedReadStream,
    inOrder: RecordedEvent[],
    started: number,
  ): void {
    const { ctx, trails } = this;
    const paging = range.direction === 'forward' && range.toVersion === OPEN_END && range.limit !== 0;
    const trail = paging ? trails.before(streamId, range.fromVersion) : [];
    const adjacent = inOrder.length === 0 || inOrder[0]!.version === range.fromVersion;
    const caught = reachesStreamEnd(inOrder, range) || isFullForwardPage(inOrder, range);
    // Kept or promoted after the caller has `inOrder`: copies, never the caller's objects.
    const own = caught ? detachedEvents(inOrder) : inOrder;
    const joined = trail.length > 0 && adjacent ? [...trail, ...own] : own;
    if (reachesStreamEnd(inOrder, range)) {
      trails.forget(streamId);
      ctx.background(() => this.promote(streamId, joined, started));
    } else if (isFullForwardPage(inOrder, range)) {
      trails.keep(streamId, joined);
    } else if (paging && inOrder.length === 0 && range.fromVersion > 1) {
      trails.forget(streamId);
      if (joined.length > 0) ctx.background(() => this.promote(streamId, joined, started));
      else ctx.background(() => this.promoteLastEvent(streamId));
    }
  }

  /**
   * A paging reader's page served from a copy known to end the stream (as of `verifiedAt`), right
   * after pages it missed (the copy starts within the trail's reach, say a tail copy): the pages
   * and the copy's events to its end are one contiguous range ending the stream, so they become a
   * copy reaching further back. `events` are the copy's events of `range`, which, the range not
   * being settled by the copy, run to the copy's end.
   */
  private joinTrail(
    streamId: string,
    range: NormalizedReadStream,
    events: RecordedEvent[],
    verifiedAt: number,
  ): void {
    if (range.direction !== 'forward' || range.toVersion !== OPEN_END || range.limit === 0) return;
    const trail = this.trails.before(streamId, range.fromVersion);
    if (trail.length === 0) return;
    this.trails.forget(streamId);
    const joined = [...trail, ...detachedEvents(events)];
    if (isContiguous(joined)) this.ctx.background(() => this.promote(streamId, joined, verifiedAt));
  }

  /** Makes the stream's last event its copy: an open-ended backward read reaches the stream's end. */
  private async promoteLastEvent(streamId: string): Promise<void> {
    const started = this.ctx.now();
    const last = await this.ctx.warm.readStream(streamId, { direction: 'backward', limit: 1 });
    if (last.length === 1) await this.promote(streamId, last, started);
  }

  /** Stores `events` (ascending, up to the stream's end as of `verifiedAt`) as the stream's copy. */
  async promote(streamId: string, events: RecordedEvent[], verifiedAt: number): Promise<void> {
    const { ctx } = this;
    const kept = events.length > ctx.policy.maxCopyEvents ? events.slice(-ctx.policy.maxCopyEvents) : events;
    // Before the copy can exist: an append from now on looks at it, even before the notice is back.
    ctx.absent.forget(streamId);
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
    const ownTail = detachedEvents(tail);
    ctx.background(async () => {
      const outcome = await ctx.access.run('extend', (hot) =>
        hot.extend(streamId, copy.toVersion, last.version, ownTail, ctx.write(started)),
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
