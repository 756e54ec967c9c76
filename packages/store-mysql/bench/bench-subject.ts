import type { NewEvent } from '@strata/core';

/** What a workload drives: the store, or the raw driver doing the same work by hand. */
export interface BenchSubject {
  readonly name: string;
  /** Creates this subject's tables (fresh, under its own prefix). */
  setUp(): Promise<void>;
  append(streamId: string, events: NewEvent[], expectedVersion: number): Promise<void>;
  /** Loads `eventsPerStream` events into each stream, outside any measurement. */
  seed(streamIds: readonly string[], eventsPerStream: number): Promise<void>;
  /** Reads a whole stream into event objects; returns how many. */
  readStream(streamId: string): Promise<number>;
  /** One page of the global log as event objects. */
  readAll(after: bigint, limit: number): Promise<{ count: number; lastPosition: bigint | undefined }>;
  /** Drops the tables and ends the pool. */
  tearDown(): Promise<void>;
}

/** A small, typical domain event (about 100 bytes of JSON), as apps/bench uses. */
export function benchEvent(n: number): NewEvent {
  return {
    type: 'bench.item-added',
    data: { sku: `sku-${n % 1_000}`, quantity: (n % 7) + 1, priceCents: 1_299, note: 'benchmark payload' },
    metadata: { source: 'strata-bench' },
  };
}

export function benchEvents(first: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => benchEvent(first + i));
}
