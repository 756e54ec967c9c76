import type { RecordedEvent } from '@strata/core';

/**
 * One event in the hot tier is one JSON array (the stream id is the key's):
 * `[id, type, version, position, recordedAt, streamType, schemaVersion, occurredAt, data, metadata]`.
 * A copy's events are stored as one string, each entry followed by a comma, so a read of any run
 * of them is one byte range that decodes with a single `JSON.parse` (parsing a thousand small
 * strings one by one costs half as much again). Times are epoch milliseconds. A position is a
 * number while it has up to 15 digits (exact as a double) and a string past that, so a bigint
 * survives. Not always a string: V8 interns every short string `JSON.parse` makes, and a unique
 * one per event made reads of a large store 0.5-0.7 µs per event slower. Copies written before
 * hold strings; they still read.
 */
type HotEntry = [
  id: string,
  type: string,
  version: number,
  position: number | string,
  recordedAt: number,
  streamType: string,
  schemaVersion: number,
  occurredAt: number,
  data: unknown,
  metadata: Record<string, unknown>,
];

/** Positions up to 15 digits, all exact as doubles, are stored as JSON numbers. */
const NUMBER_POSITIONS_BELOW = 10n ** 15n;

/** Bytes of each offset in a copy's offsets string: a big-endian uint32 per event. */
export const OFFSET_BYTES = 4;

/** Events encoded for the hot tier: their entries, and where each starts within `body` (in bytes). */
export interface EncodedEvents {
  body: string;
  offsets: Buffer;
}

export function encodeHotEvents(events: readonly RecordedEvent[]): EncodedEvents {
  const offsets = Buffer.allocUnsafe(events.length * OFFSET_BYTES);
  let body = '';
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    const entry = `${encodeEntry(events[i]!)},`;
    offsets.writeUInt32BE(bytes, i * OFFSET_BYTES);
    bytes += Buffer.byteLength(entry);
    body += entry;
  }
  return { body, offsets };
}

function encodeEntry(event: RecordedEvent): string {
  const entry: HotEntry = [
    event.id,
    event.type,
    event.version,
    event.position < NUMBER_POSITIONS_BELOW ? Number(event.position) : event.position.toString(),
    event.recordedAt.getTime(),
    event.streamType,
    event.schemaVersion,
    event.occurredAt.getTime(),
    event.data,
    event.metadata,
  ];
  return JSON.stringify(entry);
}

/**
 * Decodes the entries from `start` to the end of `reply` (each followed by a comma), in order.
 * They arrive as a Buffer: ioredis turns a large bulk reply into a string more slowly than
 * `toString()` does.
 */
export function decodeHotEvents(streamId: string, reply: Buffer, start: number): RecordedEvent[] {
  if (reply.length <= start) return [];
  // The last byte is the final entry's comma. Invalid JSON throws: the caller drops the copy.
  const entries = JSON.parse(`[${reply.toString('utf8', start, reply.length - 1)}]`) as HotEntry[];
  const events = new Array<RecordedEvent>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
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
