import type { AbsentCopies } from './absent-copies.js';
import type { HotAccess } from './hot-access.js';
import type { HotCopyBounds, HotWrite } from './hot-tier.js';
import type { PendingInvalidations } from './pending-invalidations.js';
import type { RecentWrites } from './recent-writes.js';
import type { InvalidationReason } from './tiered-store-events.js';
import type { TieredStoreMetrics } from './tiered-store-metrics.js';
import type { HotPolicy } from './tiered-store-options.js';
import type { WarmReader } from './warm-reader.js';

/** What the hot read and write paths of one tiered store share. */
export class TierContext {
  private readonly tasks = new Set<Promise<void>>();

  constructor(
    readonly policy: HotPolicy,
    readonly access: HotAccess,
    readonly warmReader: WarmReader,
    readonly metrics: TieredStoreMetrics,
    readonly pending: PendingInvalidations,
    readonly recent: RecentWrites,
    readonly absent: AbsentCopies,
  ) {}

  get warm() {
    return this.warmReader.warm;
  }

  now(): number {
    return Date.now();
  }

  write(verifiedAt: number): HotWrite {
    return { verifiedAt, ttlSeconds: this.policy.ttlSeconds, maxEvents: this.policy.maxCopyEvents };
  }

  /**
   * Whether a bounded read may serve `copy` without asking the warm store: verified within the
   * bound, reaching every version this store appended or was told of recently, and no stream
   * whose copy this store could not delete was forgotten within the bound (which copy it was is
   * no longer known).
   */
  freshEnough(streamId: string, copy: HotCopyBounds, now: number): boolean {
    const { consistency, maxStalenessMs } = this.policy;
    return (
      consistency === 'bounded' &&
      now - copy.verifiedAt < maxStalenessMs &&
      copy.toVersion >= this.recent.versionOf(streamId, now) &&
      !this.pending.forgotWithin(now, maxStalenessMs)
    );
  }

  /** Whether a read of this stream may use the hot tier now. */
  usableFor(streamId: string): boolean {
    return this.access.usable && !this.pending.has(streamId);
  }

  /**
   * Runs a hot-tier update after the caller got its answer: promotions and write-throughs never
   * add to a read's or an append's latency. They are all safe to apply late (see `HotTier`), and
   * until one lands, reads check the copy as usual (strict) or see this store's own appends
   * through `recent` (bounded).
   */
  background(task: () => Promise<void>): void {
    // Started on the next turn of the event loop, so that its synchronous part (encoding a copy
    // of 1,000 events, say) runs after the caller has its answer, not before.
    const tracked: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch(() => {
        // Each task counts its own failures; nothing is left to report here.
      })
      .finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
  }

  /** Resolves once every background update started so far (and any they started) has finished. */
  async flush(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  /** Deletes the stream's copy; if the hot tier cannot be reached, remembers to do it later. */
  async invalidate(streamId: string, reason: InvalidationReason): Promise<void> {
    const outcome = await this.access.run('invalidate', (hot) => hot.invalidate(streamId));
    if (outcome.ok) this.metrics.invalidation(streamId, reason);
    else this.access.remember(streamId);
  }
}
