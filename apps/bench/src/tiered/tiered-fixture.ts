import type { RedisHotTier, TieredEventStore } from '@strata/store-tiered';
import type { CountingEventStore } from './counting-event-store.js';

/** One warm store, counted, with two tiered stores over it sharing one Redis hot tier. */
export interface TieredFixture {
  /** The warm store behind a counter: the "warm alone" side, and what both tiered stores wrap. */
  warm: CountingEventStore;
  /** `consistency: 'strict'` (the default): a hit is confirmed against warm's stream version. */
  strict: TieredEventStore;
  /** `consistency: 'bounded'` with the default `maxStalenessMs` (1,000). */
  bounded: TieredEventStore;
  /**
   * Strict, over a hot tier whose Redis is unreachable (a port nothing listens on): reads during a
   * hot-tier outage, once its circuit breaker has opened.
   */
  down: TieredEventStore;
  /** The hot tier scoped to the warm store's storage: the copies the tiered stores read and write. */
  hot: RedisHotTier;
  /** A PING on the hot tier's Redis connection: the round trip under every hit. */
  ping(): Promise<unknown>;
}

/** Waits for the background hot-tier work (promotions, write-throughs) of both tiered stores. */
export async function settle(fixture: TieredFixture): Promise<void> {
  await fixture.strict.flush();
  await fixture.bounded.flush();
  await fixture.down.flush();
}
