import type { NewEvent, RecordedEvent } from '@strata/core';
import type { MinimalBaseline } from '../bench-target.js';

/** The minimal store's one table, beside the store's tables in the run's file, schema or prefix. */
export const MINIMAL_TABLE = 'minimal_events';
/** The floor baseline's table (the minimal one plus a unique event id), beside it. */
export const FLOOR_TABLE = 'floor_events';

/** Issue 12's targets for the adapter/minimal ratio on SQLite, at both `synchronous` settings. */
export const SQLITE_MINIMAL_TARGETS: MinimalBaseline['targets'] = { W1: 0.8, W3: 0.8, W4: 0.9, W5: 0.9 };
/** Issue 12's targets on PostgreSQL, MySQL and Redis: appends at least as fast as the minimal store. */
export const SERVER_MINIMAL_TARGETS: MinimalBaseline['targets'] = { W1: 1.0, W3: 1.0, W4: 0.9, W5: 0.9 };

/** Every minimal store writes this stream type, as the workloads' appends get the store's default. */
export const MINIMAL_STREAM_TYPE = 'default';

/** An event's JSON columns as the minimal stores write them. */
export function minimalPayload(event: NewEvent): { data: string; metadata: string } {
  return { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata ?? {}) };
}

/**
 * A minimal-store row decoded into the object the contract returns, with the same work the stores
 * do (JSON parsed, `Date`s, a bigint position), so the comparison is of storage and write path, not
 * of decoding. The minimal store keeps no event id, schema version or recording time: the id is
 * the position as text, the schema version 1, and `recordedAt` a second `Date` of `occurredAt`. The
 * floors keep all three, as the contract asks, and pass them as `id`, `schemaVersion` and
 * `recordedAt`.
 */
export function minimalEvent(
  position: bigint,
  streamId: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  version: number,
  occurredAt: number,
  id?: string,
  schemaVersion?: number,
  recordedAt?: number,
): RecordedEvent {
  return minimalRecordedEvent(
    position,
    streamId,
    streamType,
    type,
    JSON.parse(data),
    JSON.parse(metadata),
    version,
    occurredAt,
    id,
    schemaVersion,
    recordedAt,
  );
}

/**
 * `minimalEvent` for a store whose payloads were parsed already (the Redis one parses a whole
 * entry at once).
 */
export function minimalRecordedEvent(
  position: bigint,
  streamId: string,
  streamType: string,
  type: string,
  data: unknown,
  metadata: Record<string, unknown>,
  version: number,
  occurredAt: number,
  /** The stored event id, for the floors, which keep one; the minimal store keeps none. */
  id: string = position.toString(),
  schemaVersion = 1,
  recordedAt: number = occurredAt,
): RecordedEvent {
  return {
    id,
    streamId,
    streamType,
    type,
    data,
    metadata,
    schemaVersion,
    version,
    position,
    occurredAt: new Date(occurredAt),
    recordedAt: new Date(recordedAt),
  };
}

/** The error every minimal store throws when the stream is not at the expected version. */
export function minimalConflict(streamId: string, current: number, expected: number): Error {
  return new Error(`stream ${streamId} is at ${current}, not ${expected}`);
}
