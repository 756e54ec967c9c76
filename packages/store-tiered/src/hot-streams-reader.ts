import type { NormalizedReadStream, RecordedEvent } from '@strata/core';
import { detachedEvents } from './detached-events.js';
import type { HotReader } from './hot-reader.js';
import type { HotCopyBounds } from './hot-tier.js';
import { OPEN_END, reachesStreamEnd } from './read-range.js';
import type { TierContext } from './tier-context.js';

interface Held {
  streamId: string;
  copy: HotCopyBounds;
  events: RecordedEvent[];
}

/**
 * `readStreams` with a hot tier: every stream whose copy can answer is served from it, the rest
 * come from the warm store in one `readStreams` call and are promoted.
 */
export class HotStreamsReader {
  constructor(
    private readonly ctx: TierContext,
    private readonly reader: HotReader,
  ) {}

  async readStreams(streamIds: string[], fromVersion: number): Promise<Map<string, RecordedEvent[]>> {
    const { ctx } = this;
    const range: NormalizedReadStream = {
      fromVersion,
      toVersion: OPEN_END,
      limit: undefined,
      direction: 'forward',
    };
    const served = new Map<string, RecordedEvent[]>();
    const fromWarm: string[] = [];
    /** Streams not to promote: the hot tier is unusable for them. */
    const skipPromotion = new Set<string>();

    const held: Held[] = [];
    await Promise.all(
      streamIds.map(async (streamId) => {
        if (!ctx.usableFor(streamId)) {
          this.unavailable(streamId, fromWarm, skipPromotion);
          return;
        }
        const outcome = await ctx.access.run('read', (hot) => hot.read(streamId, range, this.refreshTtl()));
        if (!outcome.ok) {
          this.unavailable(streamId, fromWarm, skipPromotion);
          return;
        }
        const read = outcome.value;
        if (read.kind === 'covered') {
          held.push({ streamId, copy: read.copy, events: read.events });
          return;
        }
        if (read.kind === 'dropped') ctx.metrics.invalidation(streamId, 'broken');
        ctx.metrics.miss(streamId, read.kind === 'uncovered' ? 'uncovered' : 'absent');
        fromWarm.push(streamId);
      }),
    );

    await this.serveCurrent(held, served, fromWarm);

    if (fromWarm.length > 0) {
      const started = ctx.now();
      const fetched = await ctx.warmReader.readStreams(fromWarm, fromVersion);
      for (const streamId of fromWarm) {
        const events = fetched.get(streamId) ?? [];
        served.set(streamId, events);
        if (!skipPromotion.has(streamId) && reachesStreamEnd(events, range)) {
          const own = detachedEvents(events);
          ctx.background(() => this.reader.promote(streamId, own, started));
        }
      }
    }
    return new Map(streamIds.map((id) => [id, served.get(id) ?? []]));
  }

  /** Serves the copies that are current; sends the others to the warm batch. */
  private async serveCurrent(
    held: Held[],
    served: Map<string, RecordedEvent[]>,
    fromWarm: string[],
  ): Promise<void> {
    const { ctx } = this;
    const strict = ctx.policy.consistency === 'strict';
    const now = ctx.now();
    const toCheck: Held[] = [];
    for (const entry of held) {
      if (ctx.freshEnough(entry.streamId, entry.copy, now)) {
        ctx.metrics.hit(entry.streamId);
        served.set(entry.streamId, entry.events);
      } else {
        toCheck.push(entry);
      }
    }
    if (toCheck.length === 0) return;
    const checkStart = ctx.now();
    const versions = await Promise.all(toCheck.map((entry) => ctx.warm.streamVersion(entry.streamId)));
    await Promise.all(
      toCheck.map(async (entry, i) => {
        const current = versions[i]!;
        const { streamId, copy } = entry;
        if (current === copy.toVersion) {
          if (!strict) ctx.background(() => this.reader.confirm(streamId, current, checkStart));
          ctx.metrics.hit(streamId);
          served.set(streamId, entry.events);
          return;
        }
        ctx.metrics.miss(streamId, 'stale');
        if (current < copy.toVersion) await ctx.invalidate(streamId, 'ahead');
        fromWarm.push(streamId);
      }),
    );
  }

  private unavailable(streamId: string, fromWarm: string[], skipPromotion: Set<string>): void {
    this.ctx.metrics.miss(streamId, 'unavailable');
    fromWarm.push(streamId);
    skipPromotion.add(streamId);
  }

  private refreshTtl(): number | undefined {
    return this.ctx.policy.refreshTtlOnRead ? this.ctx.policy.ttlSeconds : undefined;
  }
}
