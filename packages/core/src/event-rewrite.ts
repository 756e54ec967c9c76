import type { EventStore } from './event-store.js';

/**
 * A guarded in-place update of one stored event: its type, schema version and payload. The event
 * is found by `streamId` and `version`; the store refuses the rewrite, and writes nothing, unless
 * the event there still has `id`, `position`, `expectedType` and `expectedSchemaVersion`.
 */
export interface EventRewrite {
  streamId: string;
  version: number;
  /** The event's id, as read: a different event at this version is refused. */
  id: string;
  /** The event's position, as read. */
  position: bigint;
  /** The type stored now. Another type means another writer rewrote the event first. */
  expectedType: string;
  /** The schema version stored now. */
  expectedSchemaVersion: number;
  /** The new type (the same, or the name it was renamed to). */
  type: string;
  /** The new schema version, 1 to `MAX_SCHEMA_VERSION`. */
  schemaVersion: number;
  /** The new data: a JSON value, within `MAX_PAYLOAD_BYTES` together with the metadata, as for appends. */
  data: unknown;
  /** The new metadata, replacing the stored one whole: pass the stored metadata to keep it. */
  metadata: Record<string, unknown>;
}

/**
 * Optional capability: a store that can rewrite a stored event in place. It changes only the type,
 * schema version, data and metadata; the version, position, id, stream, occurredAt and recordedAt
 * stay as they are, and every read (`readStream`, `readStreams`, `readAll`, type filters) returns
 * the new payload from then on. Eager migrations (`@strata/upcasting`'s `migrateEvents`) use it.
 *
 * History is meant to be immutable: this exists for schema migrations, which change how a fact is
 * written down, never what happened. Projections that already read the old payload are not told.
 */
export interface EventRewriter {
  /**
   * Rewrites the event, atomically. Bad input is refused with a `ValidationError` before any
   * write; a guard that does not hold (the event is missing, or has another id, position, type or
   * schema version) with an `EventRewriteConflictError`, and nothing is written.
   */
  rewriteEvent(rewrite: EventRewrite): Promise<void>;
  /**
   * Optional batch form: rewrites every event of `rewrites`, all or nothing, in one transaction
   * (or one script). Every guard is checked; if any does not hold, nothing at all is written and
   * an `EventRewriteConflictError` names that event (one of them, when several fail: stores
   * may check in their own order, e.g. sorted by stream and version to lock rows deadlock-free). Bad input is refused with a `ValidationError` before any write: more than
   * `MAX_REWRITE_BATCH_SIZE` rewrites, more than `MAX_REWRITE_BATCH_BYTES` of payload, or two
   * rewrites of the same stream version. An empty batch writes nothing and resolves. Rewrites may
   * span streams; their order in the array does not matter. Check for it with
   * `supportsEventRewriteBatch`; a store may refuse a batch it cannot make atomic with an
   * `UnsupportedOperationError` that says how to split it (a Redis Cluster, across hash slots).
   */
  rewriteEvents?(rewrites: EventRewrite[]): Promise<void>;
}

/** An event store with the `EventRewriter` capability. */
export type RewritableEventStore = EventStore & EventRewriter;

/** An event store with the `EventRewriter` capability and its batch form. */
export type BatchRewritableEventStore = RewritableEventStore & Required<Pick<EventRewriter, 'rewriteEvents'>>;

/**
 * True when `store` can rewrite events in place. Checked by shape, so a wrapper that does not
 * pass the capability on is reported as lacking it.
 */
export function supportsEventRewrite(store: EventStore): store is RewritableEventStore {
  return typeof (store as Partial<EventRewriter>).rewriteEvent === 'function';
}

/**
 * True when `store` can rewrite events in place in atomic batches (`rewriteEvents`). Checked by
 * shape, like `supportsEventRewrite`: a wrapper offers `rewriteEvents` only when what it wraps does.
 */
export function supportsEventRewriteBatch(store: EventStore): store is BatchRewritableEventStore {
  return supportsEventRewrite(store) && typeof store.rewriteEvents === 'function';
}
