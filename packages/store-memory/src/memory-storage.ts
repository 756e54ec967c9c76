import { randomUUID } from 'node:crypto';
import { MAX_POSITION, type RecordedEvent, ValidationError } from '@strata/core';

/** One event as the memory store keeps it: JSON text, so readers never share objects with writers. */
export interface StoredEvent {
  id: string;
  streamId: string;
  streamType: string;
  type: string;
  dataJson: string;
  metadataJson: string;
  schemaVersion: number;
  version: number;
  position: bigint;
  occurredAt: number;
  recordedAt: number;
}

export interface MemoryStorageOptions {
  /**
   * The log continues after this position (default 0n): the first event takes `lastPosition + 1`.
   * For testing code near the end of the position range (2^53, 2^63 - 1).
   */
  lastPosition?: bigint;
}

/**
 * The state behind one or more memory stores. Hand the same storage to two stores to model two
 * processes sharing a database; call `simulateOutage()` to see how your code handles
 * `StoreUnavailableError`.
 */
export class MemoryStorage {
  /** Made once with the storage: every store over it reports it as its `storageId()`. */
  readonly id = randomUUID();
  /** The global log; an event's position is `positionBase` + its index + 1. */
  readonly log: StoredEvent[] = [];
  /** The position before the log's first event. */
  readonly positionBase: bigint;
  readonly streams = new Map<string, StoredEvent[]>();
  readonly eventsById = new Map<string, StoredEvent>();
  private outage = false;

  constructor(options: MemoryStorageOptions = {}) {
    const base = options.lastPosition ?? 0n;
    if (typeof base !== 'bigint' || base < 0n || base > MAX_POSITION) {
      throw new ValidationError('options.lastPosition', 'must be a bigint from 0 to 2^63 - 1');
    }
    this.positionBase = base;
  }

  get unavailable(): boolean {
    return this.outage;
  }

  /** Every call on a store over this storage throws `StoreUnavailableError` until `restore()`. */
  simulateOutage(): void {
    this.outage = true;
  }

  restore(): void {
    this.outage = false;
  }
}

export function toRecordedEvent(stored: StoredEvent): RecordedEvent {
  return {
    id: stored.id,
    streamId: stored.streamId,
    streamType: stored.streamType,
    type: stored.type,
    data: JSON.parse(stored.dataJson),
    metadata: JSON.parse(stored.metadataJson),
    schemaVersion: stored.schemaVersion,
    version: stored.version,
    position: stored.position,
    occurredAt: new Date(stored.occurredAt),
    recordedAt: new Date(stored.recordedAt),
  };
}
