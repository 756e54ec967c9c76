import { type BreakerState, CircuitBreaker } from './circuit-breaker.js';
import type { HotTier } from './hot-tier.js';
import type { PendingInvalidations } from './pending-invalidations.js';
import type { StorageScopedHot } from './storage-scoped-hot.js';
import { OutageLog } from './tiered-logger.js';
import type { TieredStoreMetrics } from './tiered-store-metrics.js';
import type { HotPolicy } from './tiered-store-options.js';

/** A hot-tier call's outcome: its value, or why there is none (skipped: the breaker is not closed). */
export type HotOutcome<T> = { ok: true; value: T } | { ok: false; skipped: boolean; error: unknown };

const FLUSH_CONCURRENCY = 32;

/**
 * Every call to the hot tier goes through here: the breaker decides whether it is made, a failure
 * is counted and logged once per outage, and once the hot tier answers again the copies this store
 * failed to delete are deleted before the breaker lets anything else through. A failure too brief
 * to open the breaker gets no probe, so pending copies are also retried on a timer of their own:
 * a store that never calls the hot tier again must still delete them.
 */
export class HotAccess {
  private readonly breaker: CircuitBreaker;
  private readonly outage: OutageLog;
  private flushing: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly retryMs: number;

  constructor(
    private readonly hot: StorageScopedHot,
    private readonly policy: HotPolicy,
    private readonly metrics: TieredStoreMetrics,
    private readonly pending: PendingInvalidations,
  ) {
    this.outage = new OutageLog(policy.logger);
    this.retryMs = policy.breaker.openMs;
    this.breaker = new CircuitBreaker(
      policy.breaker,
      async () => {
        await (await hot.get()).ping();
        await this.flushPending();
      },
      (state, previous) => {
        if (state === 'closed') this.outage.recovered();
        metrics.breaker(state, previous);
      },
    );
  }

  get state(): BreakerState {
    return this.breaker.state;
  }

  /** Whether calls go to the hot tier now. */
  get usable(): boolean {
    return this.breaker.allows;
  }

  async run<T>(operation: string, call: (hot: HotTier) => Promise<T>): Promise<HotOutcome<T>> {
    if (!this.breaker.allows)
      return { ok: false, skipped: true, error: new Error('the circuit breaker is open') };
    try {
      const value = await call(await this.hot.get());
      this.succeeded();
      return { ok: true, value };
    } catch (error) {
      this.failed(operation, error);
      return { ok: false, skipped: false, error };
    }
  }

  /** Remembers a copy this store may have left stale and could not delete; it is deleted later. */
  remember(streamId: string): void {
    const now = Date.now();
    const alreadyForgetting = this.pending.forgotWithin(now, this.policy.maxStalenessMs);
    if (this.pending.add(streamId, now) && !alreadyForgetting) {
      this.policy.logger?.warn(
        '[strata] [tiered] too many copies to delete later: the oldest are forgotten, and bounded reads check every copy against the warm store for maxStalenessMs',
        { maxPendingInvalidations: this.policy.maxPendingInvalidations },
      );
    }
    this.scheduleRetry();
  }

  /** Stops probing and retrying, and makes a last attempt to delete the pending copies. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.breaker.stop();
    await this.flushing;
    if (this.breaker.allows && this.pending.size > 0) await this.flushPending().catch(() => {});
  }

  private succeeded(): void {
    this.breaker.success();
    this.outage.recovered();
    if (this.pending.size > 0) this.startFlush();
  }

  private startFlush(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.flushPending()
      .then(() => {
        this.breaker.success();
        this.outage.recovered();
      })
      .catch((error: unknown) => this.failed('invalidate', error))
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.size > 0) this.scheduleRetry();
      });
  }

  /** With the breaker open its probe deletes the pending copies; while it is closed, this timer does. */
  private scheduleRetry(): void {
    if (this.retry !== undefined || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.pending.size > 0 && this.breaker.allows) this.startFlush();
    }, this.retryMs);
    this.retry.unref();
  }

  private failed(operation: string, error: unknown): void {
    this.metrics.hotError(operation, error);
    this.outage.failure(operation, error);
    this.breaker.failure();
  }

  /** Deletes every pending copy; rejects (keeping the rest pending) at the first failure. */
  private async flushPending(): Promise<void> {
    const entries = this.pending.list();
    if (entries.length === 0) return;
    const hot = await this.hot.get();
    for (let i = 0; i < entries.length; i += FLUSH_CONCURRENCY) {
      await Promise.all(
        entries.slice(i, i + FLUSH_CONCURRENCY).map(async ([streamId, generation]) => {
          await hot.invalidate(streamId);
          this.pending.done(streamId, generation);
          this.metrics.invalidation(streamId, 'pending');
        }),
      );
    }
  }
}
