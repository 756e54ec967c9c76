import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from './event.js';

export interface AppendOptions {
  /** Defaults to `'any'`. */
  expectedVersion?: ExpectedVersion;
  /** Recorded on every event of the stream; defaults to `'default'`. */
  streamType?: string;
}

export interface ReadStreamOptions {
  /** First version to return (inclusive); defaults to 1. */
  fromVersion?: number;
  /** Last version to return (inclusive); defaults to the stream's end. */
  toVersion?: number;
  /** At most this many events. */
  limit?: number;
  /** `'backward'` returns the newest events first. Defaults to `'forward'`. */
  direction?: 'forward' | 'backward';
}

export interface ReadStreamsOptions {
  /** First version to return of every stream (inclusive); defaults to 1. */
  fromVersion?: number;
}

export interface ReadAllOptions {
  /** Return events after this position (exclusive); defaults to the start of the log. */
  after?: bigint;
  /**
   * At most this many events. Page with `iterateAll` to bound memory. A page with fewer ends at the
   * log's head: it holds every event asked for up to the `lastPosition()` read before the call.
   */
  limit?: number;
  /** Only events of these types. */
  types?: string[];
}

/**
 * The contract every storage adapter implements and every wrapper (tiering, upcasting,
 * encryption) takes and returns. The semantics are spelled out in `packages/core/README.md`
 * and enforced by `@strata/conformance`.
 *
 * **Reads hand out fresh objects.** Every call of `readStream`, `readStreams` and `readAll`
 * returns a new array (or map), new events, and new `data`, `metadata`, `occurredAt` and
 * `recordedAt` objects that nothing else holds: not the store, not another read's result, not
 * another event of the same result. The caller may change them, and doing so changes nothing
 * that the store or any other reader sees. Decode the stored JSON on each read; a store that
 * caches decoded events copies them on the way out, and one that keeps what it returned (to
 * write a cache later, say) keeps copies. Why: wrappers transform what their inner store returned
 * in place (`withEncryption` opens sealed fields into it, `withUpcasting` rewrites old events);
 * with shared objects one reader's change, or decrypted plaintext, would reach every other read.
 * The same holds for `AppendResult.events`.
 */
export interface EventStore {
  /** Appends atomically: all events or none. Retrying a committed batch (same ids) returns its result. */
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream in version order; `[]` when the stream does not exist. Fresh objects: the caller's. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Many streams in few round trips. Every requested id is a key of the result (`[]` when missing).
   * Fresh objects, the map included: the caller's.
   */
  readStreams(streamIds: string[], options?: ReadStreamsOptions): Promise<Map<string, RecordedEvent[]>>;
  /** The global log in increasing position, never skipping an event that commits late. Fresh objects: the caller's. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The stream's current version; 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /**
   * Optional. The position of the last event a `readAll` started now can return; `0n` for an empty
   * log. Every event that commits later lands above it, so a reader that has seen everything it
   * wants up to here may move on to here: the projection runner reads it before a type-filtered page
   * and, when the page comes back short, skips the events of other types up to it instead of scanning
   * them again on every poll (stores without a type index scan them).
   */
  lastPosition?(): Promise<bigint>;
  /**
   * Optional. The storage's identity: a stable random id created once with the storage and kept in
   * it. Every instance over the same storage (another connection, another process, a reopen)
   * reports the same id; another storage reports another. Caches in front of a store (the tiered
   * store's hot tier) tie what they keep to it, so they never serve one storage's events for another's.
   */
  storageId?(): Promise<string>;
  /** Releases what the store opened. Resources the caller handed in stay open. */
  close(): Promise<void>;
}
