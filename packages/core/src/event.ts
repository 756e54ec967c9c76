/**
 * What an append expects of the stream:
 * - `'any'`: no check (versions still continue from the stream's current version);
 * - `'no_stream'`: the stream must not exist yet (same as `0`);
 * - `'stream_exists'`: the stream must have at least one event;
 * - `n >= 0`: the stream's current version must be exactly `n`.
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/** An event as the caller hands it to `append`. */
export interface NewEvent<D = unknown, M = Record<string, unknown>> {
  /** Stable event type name, e.g. `order.placed`. Never a class name: classes get renamed. */
  type: string;
  /**
   * A JSON value: plain objects, arrays, strings, finite numbers, booleans, null. Its JSON text and
   * the metadata's take at most `MAX_PAYLOAD_BYTES` (8 MiB) of UTF-8 together, in every adapter.
   */
  data: D;
  metadata?: M;
  /** Unique event id; a UUID v7 is generated when absent. Reusing ids makes retries idempotent. */
  id?: string;
  /** When the fact happened; defaults to now. Stored at millisecond precision. */
  occurredAt?: Date;
  /** Version of the payload's schema, 1 to `MAX_SCHEMA_VERSION` (2^31 - 1); defaults to 1. Upcasters read it. */
  schemaVersion?: number;
}

/** An event as the store holds it. */
export interface RecordedEvent<D = unknown, M = Record<string, unknown>> {
  id: string;
  streamId: string;
  streamType: string;
  type: string;
  data: D;
  metadata: M;
  schemaVersion: number;
  /** 1-based, contiguous within its stream. */
  version: number;
  /** Global and unique across the store; `readAll` returns events in increasing position. */
  position: bigint;
  occurredAt: Date;
  recordedAt: Date;
}

export interface AppendResult {
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  lastPosition: bigint;
  /**
   * The events this append recorded, exactly as `readStream` will return them (ids, versions,
   * positions, recordedAt, copies of data and metadata), and like a read's, the caller's alone:
   * objects the store does not keep, and no read returns. Absent when the append recorded nothing
   * new (an idempotent retry: read them with `readStream`), and in adapters that do not provide it.
   * Built on first access.
   */
  events?: readonly RecordedEvent[];
}
