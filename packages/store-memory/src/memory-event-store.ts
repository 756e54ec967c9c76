import {
  type AppendOptions,
  type AppendResult,
  assertName,
  assertPositionAvailable,
  ConcurrencyError,
  type EventRewrite,
  type EventRewriter,
  type EventStore,
  type NewEvent,
  normalizeReadAll,
  normalizeReadStream,
  normalizeReadStreams,
  prepareAppend,
  prepareRewrite,
  prepareRewrites,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  resolveIdempotentRetry,
  StoreClosedError,
  StoreUnavailableError,
  satisfiesExpectedVersion,
  withRecordedEvents,
} from '@strata/core';
import { rewriteStoredEvent, rewriteStoredEvents } from './memory-event-rewrite.js';
import { MemoryStorage, type StoredEvent, toRecordedEvent } from './memory-storage.js';

export interface MemoryEventStoreOptions {
  /** Share one storage between stores to model several processes over one database. */
  storage?: MemoryStorage;
}

/**
 * The reference implementation of the `EventStore` contract: every other adapter must answer
 * every call exactly as this one does. Use it in your own unit tests.
 */
export class MemoryEventStore implements EventStore, EventRewriter {
  readonly storage: MemoryStorage;
  private closed = false;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.storage = options.storage ?? new MemoryStorage();
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const append = prepareAppend(streamId, events, options);
    this.assertUsable();
    const { storage } = this;
    const stream = storage.streams.get(append.streamId);
    const currentVersion = stream?.length ?? 0;

    const known = append.events.flatMap((event) => {
      const stored = storage.eventsById.get(event.id);
      return stored === undefined ? [] : [stored];
    });
    const retried = resolveIdempotentRetry(append, known);
    if (retried !== undefined) return retried;
    if (!satisfiesExpectedVersion(append.expectedVersion, currentVersion)) {
      throw new ConcurrencyError(append.streamId, append.expectedVersion, currentVersion);
    }

    const nextPosition = storage.positionBase + BigInt(storage.log.length) + 1n;
    assertPositionAvailable('memory', nextPosition + BigInt(append.events.length - 1));
    const recordedAt = Date.now();
    const written: StoredEvent[] = append.events.map((event, i) => ({
      id: event.id,
      streamId: append.streamId,
      streamType: stream?.[0]?.streamType ?? append.streamType,
      type: event.type,
      dataJson: event.dataJson,
      metadataJson: event.metadataJson,
      schemaVersion: event.schemaVersion,
      version: currentVersion + i + 1,
      position: nextPosition + BigInt(i),
      occurredAt: event.occurredAt.getTime(),
      recordedAt,
    }));
    const target = stream ?? [];
    for (const event of written) {
      target.push(event);
      storage.log.push(event);
      storage.eventsById.set(event.id, event);
    }
    storage.streams.set(append.streamId, target);
    const last = written[written.length - 1]!;
    const result = {
      streamId: append.streamId,
      firstVersion: currentVersion + 1,
      lastVersion: last.version,
      lastPosition: last.position,
    };
    return withRecordedEvents(result, () => written.map(toRecordedEvent));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    this.assertUsable();
    const stream = this.storage.streams.get(streamId) ?? [];
    // Versions are 1-based and contiguous, so version v sits at index v - 1.
    let selected = stream.slice(fromVersion - 1, Math.min(toVersion, stream.length));
    if (direction === 'backward') selected = selected.reverse();
    if (limit !== undefined) selected = selected.slice(0, limit);
    return selected.map(toRecordedEvent);
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    this.assertUsable();
    const result = new Map<string, RecordedEvent[]>();
    for (const id of ids) {
      const stream = this.storage.streams.get(id) ?? [];
      result.set(id, stream.slice(fromVersion - 1).map(toRecordedEvent));
    }
    return result;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit, types } = normalizeReadAll(options);
    this.assertUsable();
    const typeSet = types === undefined ? undefined : new Set(types);
    const max = limit ?? Number.POSITIVE_INFINITY;
    const result: RecordedEvent[] = [];
    const { log } = this.storage;
    // Positions are the base + log index + 1, so the first event after `after` sits at index
    // `after - base`. The subtraction is done in bigint: `after` may be past 2^53.
    const skip = after - this.storage.positionBase;
    const first = skip <= 0n ? 0 : skip >= BigInt(log.length) ? log.length : Number(skip);
    for (let i = first; i < log.length && result.length < max; i++) {
      const event = log[i]!;
      if (typeSet === undefined || typeSet.has(event.type)) result.push(toRecordedEvent(event));
    }
    return result;
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    this.assertUsable();
    return this.storage.streams.get(streamId)?.length ?? 0;
  }

  /** Rewrites one event's type, schema version and payload in place, guarded (see `EventRewriter`). */
  async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    this.assertUsable();
    rewriteStoredEvent(this.storage, prepared);
  }

  /** Rewrites a batch of events in place, all or nothing (see `EventRewriter.rewriteEvents`). */
  async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    const prepared = prepareRewrites(rewrites);
    this.assertUsable();
    rewriteStoredEvents(this.storage, prepared);
  }

  /**
   * The last event's position; with no event, the position the log was started after (its
   * `lastPosition` option, 0n by default), above which every append lands.
   */
  async lastPosition(): Promise<bigint> {
    this.assertUsable();
    return this.storage.positionBase + BigInt(this.storage.log.length);
  }

  /** The id of the `MemoryStorage` this store is over: stores sharing a storage share it. */
  async storageId(): Promise<string> {
    this.assertUsable();
    return this.storage.id;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertUsable(): void {
    if (this.closed) throw new StoreClosedError('memory');
    if (this.storage.unavailable) throw new StoreUnavailableError('memory', new Error('simulated outage'));
  }
}

/** Creates a memory store; pass `{ storage }` to share state with another store. */
export function createMemoryEventStore(options?: MemoryEventStoreOptions): MemoryEventStore {
  return new MemoryEventStore(options);
}
