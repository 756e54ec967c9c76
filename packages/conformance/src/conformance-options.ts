import type { EventStore, NewEvent } from '@strata/core';

/** What the kit needs to know about the adapter under test. */
export interface EventStoreConformanceOptions {
  /** A store for one test. May share storage with other tests/processes: the kit never assumes an empty log. */
  create: () => Promise<EventStore>;
  /**
   * A second, independent instance over the same storage as `store` (e.g. a new connection). Enables
   * the two-instances topic, the only proof that the version and id checks are atomic in storage:
   * an adapter serializing appends in-process passes every single-instance race.
   */
  createPeer?: (store: EventStore) => Promise<EventStore>;
  /** Makes the storage unreachable for `store` and back. Enables the unavailability topic. */
  outage?: { begin: (store: EventStore) => Promise<void>; end: (store: EventStore) => Promise<void> };
  /**
   * A store over storage of its own, shared with no other test, whose log continues right after
   * `lastPosition`: its next append takes the first position after it (gaps are allowed, but the
   * kit's appends must cross 2^53). The kit passes values just below 2^53 and 2^63 - 1. Enables
   * the exact-positions topic; `dispose` receives the store after the test.
   */
  seedPosition?: (lastPosition: bigint) => Promise<EventStore>;
  /**
   * An event that passes core's validation but that the storage itself refuses (a CHECK constraint
   * or trigger your test schema installs, a value beyond a column's range). Enables the
   * refused-append topic: one refused append among concurrent ones must fail alone. The kit gives
   * the event a fresh id each time.
   */
  refusedEvent?: () => NewEvent;
  /**
   * `'per-stream'` for a store that documents event ids as unique within a stream only (Redis
   * Cluster, which has no store-wide index): the races of one id into different streams then show
   * as skipped tests naming this option instead of failing. Default `'store-wide'`, the contract.
   */
  eventIdScope?: 'store-wide' | 'per-stream';
  /**
   * Called after each test with every store the test created, peers first (default: `store.close()`,
   * skipped for a store the test closed itself). A custom `dispose` also receives closed stores.
   */
  dispose?: (store: EventStore) => Promise<void>;
  /** Tune heavy topics down for slow backends. */
  scale?: {
    /** Events in the large-stream topic; default 10,000. */
    largeStreamEvents?: number;
    /** How often each race is repeated; default 5. */
    raceRepetitions?: number;
    /** Command sequences the model-based test runs; default 25. */
    propertyRuns?: number;
  };
}

export interface ConformanceScale {
  largeStreamEvents: number;
  raceRepetitions: number;
  propertyRuns: number;
}

export const DEFAULT_SCALE: ConformanceScale = {
  largeStreamEvents: 10_000,
  raceRepetitions: 5,
  propertyRuns: 25,
};

/** The scale with defaults filled in; rejects values that would make a topic meaningless. */
export function resolveScale(options: EventStoreConformanceOptions): ConformanceScale {
  const scale = { ...DEFAULT_SCALE, ...definedOnly(options.scale ?? {}) };
  for (const [key, value] of Object.entries(scale)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`@strata/conformance: scale.${key} must be an integer >= 1 (got ${String(value)})`);
    }
  }
  return scale;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
