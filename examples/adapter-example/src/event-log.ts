import type { RecordedEvent, StoredEventLocation } from '@strata/core';

/** One committed append: a whole batch is one line of the file, so a batch is written whole or not at all. */
export interface BatchLine {
  streamId: string;
  streamType: string;
  firstVersion: number;
  recordedAt: number;
  events: {
    id: string;
    type: string;
    /** The payload as JSON text, so every read parses a fresh copy. */
    data: string;
    metadata: string;
    schemaVersion: number;
    occurredAt: number;
  }[];
}

export interface LoggedEvent {
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

/**
 * What one store instance knows of the file: every complete line up to `offset`, indexed by
 * stream and by id. Positions come from the order of the lines, so every instance reading the
 * same file computes the same positions.
 */
export class EventLog {
  /** The global log: `events[i].position === lastPosition + i + 1`. */
  readonly events: LoggedEvent[] = [];
  /** Bytes of the file already applied. */
  offset = 0;
  private readonly streams = new Map<string, LoggedEvent[]>();
  private readonly byId = new Map<string, LoggedEvent>();

  /** `lastPosition`: the position before the first event (0n unless the log was started later). */
  constructor(readonly lastPosition = 0n) {}

  /** The position the next event takes. bigint all the way: a JS number is inexact past 2^53. */
  get nextPosition(): bigint {
    return this.lastPosition + BigInt(this.events.length) + 1n;
  }

  /** The index in `events` of the first event after `after`. */
  indexAfter(after: bigint): number {
    const skip = after - this.lastPosition;
    if (skip <= 0n) return 0;
    return skip >= BigInt(this.events.length) ? this.events.length : Number(skip);
  }

  apply(line: BatchLine): void {
    const stream = this.streams.get(line.streamId) ?? [];
    line.events.forEach((event, i) => {
      const logged: LoggedEvent = {
        id: event.id,
        streamId: line.streamId,
        streamType: line.streamType,
        type: event.type,
        dataJson: event.data,
        metadataJson: event.metadata,
        schemaVersion: event.schemaVersion,
        version: line.firstVersion + i,
        position: this.nextPosition,
        occurredAt: event.occurredAt,
        recordedAt: line.recordedAt,
      };
      this.events.push(logged);
      stream.push(logged);
      this.byId.set(logged.id, logged);
    });
    this.streams.set(line.streamId, stream);
  }

  /** The stream's events in version order (`stream[v - 1]` has version `v`). */
  stream(streamId: string): readonly LoggedEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  version(streamId: string): number {
    return this.stream(streamId).length;
  }

  /** The stream type fixed by the stream's first append, if it exists. */
  streamType(streamId: string): string | undefined {
    return this.stream(streamId)[0]?.streamType;
  }

  /** Where the events with these ids are stored, for `resolveIdempotentRetry`. */
  locate(ids: readonly string[]): StoredEventLocation[] {
    return ids.flatMap((id) => {
      const event = this.byId.get(id);
      return event === undefined
        ? []
        : [{ id, streamId: event.streamId, version: event.version, position: event.position }];
    });
  }
}

export function toRecordedEvent(event: LoggedEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    streamType: event.streamType,
    type: event.type,
    data: JSON.parse(event.dataJson),
    metadata: JSON.parse(event.metadataJson),
    schemaVersion: event.schemaVersion,
    version: event.version,
    position: event.position,
    occurredAt: new Date(event.occurredAt),
    recordedAt: new Date(event.recordedAt),
  };
}
