import type { BreakerState } from './circuit-breaker.js';
import type {
  MissReason,
  TieredSnapshotStats,
  TieredStoreEventName,
  TieredStoreEvents,
  TieredStoreListener,
  TieredStoreStats,
} from './tiered-store-events.js';

type Counters = Omit<TieredStoreStats, 'missesByReason' | 'pendingInvalidations' | 'breaker' | 'snapshots'>;

/** The store's counters and its listeners; a listener that throws never breaks a store call. */
export class TieredStoreMetrics {
  private readonly counters: Counters = {
    hits: 0,
    misses: 0,
    promotions: 0,
    writeThroughs: 0,
    looks: 0,
    looksSkipped: 0,
    writeThroughFailures: 0,
    invalidations: 0,
    hotErrors: 0,
    coldReads: 0,
    breakerOpenings: 0,
  };
  private readonly missReasons: Record<MissReason, number> = {
    absent: 0,
    uncovered: 0,
    stale: 0,
    unavailable: 0,
  };
  /** Counted by `TieredSnapshotStore`. */
  readonly snapshots: TieredSnapshotStats = { hits: 0, misses: 0, promotions: 0, writeThroughs: 0 };
  private readonly listeners = new Map<TieredStoreEventName, Set<(payload: never) => void>>();

  on<K extends TieredStoreEventName>(event: K, listener: TieredStoreListener<K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  hit(streamId: string): void {
    this.counters.hits++;
    this.emit('hit', { streamId });
  }

  miss(streamId: string, reason: MissReason): void {
    this.counters.misses++;
    this.missReasons[reason]++;
    this.emit('miss', { streamId, reason });
  }

  promotion(streamId: string, fromVersion: number, toVersion: number): void {
    this.counters.promotions++;
    this.emit('promotion', { streamId, fromVersion, toVersion });
  }

  writeThrough(streamId: string, toVersion: number): void {
    this.counters.writeThroughs++;
    this.emit('writeThrough', { streamId, toVersion });
  }

  /** Counted, not announced: one per append, too many for listeners. */
  look(): void {
    this.counters.looks++;
  }

  lookSkipped(): void {
    this.counters.looksSkipped++;
  }

  writeThroughFailure(streamId: string, error: unknown): void {
    this.counters.writeThroughFailures++;
    this.emit('writeThroughFailure', { streamId, error });
  }

  invalidation(streamId: string, reason: TieredStoreEvents['invalidation']['reason']): void {
    this.counters.invalidations++;
    this.emit('invalidation', { streamId, reason });
  }

  hotError(operation: string, error: unknown): void {
    this.counters.hotErrors++;
    this.emit('hotError', { operation, error });
  }

  coldRead(streamId: string, fromVersion: number, toVersion: number, events: number): void {
    this.counters.coldReads++;
    this.emit('coldRead', { streamId, fromVersion, toVersion, events });
  }

  breaker(state: BreakerState, previous: BreakerState): void {
    if (state === 'open' && previous === 'closed') this.counters.breakerOpenings++;
    this.emit('breaker', { state, previous });
  }

  snapshot(breaker: BreakerState, pendingInvalidations: number): TieredStoreStats {
    return {
      ...this.counters,
      missesByReason: { ...this.missReasons },
      pendingInvalidations,
      breaker,
      snapshots: { ...this.snapshots },
    };
  }

  private emit<K extends TieredStoreEventName>(event: K, payload: TieredStoreEvents[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as TieredStoreListener<K>)(payload);
      } catch {
        // A metrics listener must not turn a successful store call into a failure.
      }
    }
  }
}
