import { type RecordedEvent, SerializationError } from '@strata/core';

/**
 * One event in the hot tier is one JSON array (the stream id is the key's):
 * `[id, type, version, "position", recordedAt, streamType, schemaVersion, occurredAt, data, metadata]`,
 * so decoding an event is one `JSON.parse` that yields its data and metadata too. Entries arrive
 * as Buffers (ioredis turns a bulk reply into a string more slowly than `toString()` does). The
 * position is a string so a bigint survives; times are epoch milliseconds.
 */
type HotEntry = [
  id: string,
  type: string,
  version: number,
  position: string,
  recordedAt: number,
  streamType: string,
  schemaVersion: number,
  occurredAt: number,
  data: unknown,
  metadata: Record<string, unknown>,
];

export function encodeHotEvent(event: RecordedEvent): string {
  const entry: HotEntry = [
    event.id,
    event.type,
    event.version,
    event.position.toString(),
    event.recordedAt.getTime(),
    event.streamType,
    event.schemaVersion,
    event.occurredAt.getTime(),
    event.data,
    event.metadata,
  ];
  return JSON.stringify(entry);
}

/** Decodes the entries of a read, in order. */
export function decodeHotEvents(streamId: string, entries: readonly (Buffer | string)[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    let entry: HotEntry;
    try {
      entry = JSON.parse(String(entries[i])) as HotEntry;
    } catch (error) {
      throw new SerializationError('(hot tier)', `a cached event of stream "${streamId}" is not valid JSON`, {
        cause: error,
      });
    }
    events[i] = {
      id: entry[0],
      streamId,
      streamType: entry[5],
      type: entry[1],
      data: entry[8],
      metadata: entry[9],
      schemaVersion: entry[6],
      version: entry[2],
      position: BigInt(entry[3]),
      occurredAt: new Date(entry[7]),
      recordedAt: new Date(entry[4]),
    };
  }
  return events;
}
