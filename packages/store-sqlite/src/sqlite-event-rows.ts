import type { RecordedEvent } from '@strata/core';

/**
 * The columns every event read selects, in the order `toRecordedEvents` expects. Reads run without
 * safe integers (a BigInt per column costs), so a position beyond 2^53 comes back as text, which
 * `BigInt()` parses exactly; the others are numbers, which `BigInt()` takes as they are.
 */
const POSITION_COLUMN = 'CASE WHEN position > 9007199254740991 THEN CAST(position AS TEXT) ELSE position END';
export const EVENT_COLUMNS = `${POSITION_COLUMN}, id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at`;

/**
 * EVENT_COLUMNS without `stream_id`, for reads of one stream, in the order `toStreamEvents` expects:
 * the caller has the id already, and a text column is the costliest part of a row to hand to
 * JavaScript (about 6% of a 1,000-event `readStream`'s CPU time).
 */
export const STREAM_EVENT_COLUMNS = `${POSITION_COLUMN}, id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at`;

/** One row of EVENT_COLUMNS, as `.raw()` statements return it. */
export type EventRow = [
  position: number | string,
  id: string,
  streamId: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  schemaVersion: number,
  version: number,
  occurredAt: number,
  recordedAt: number,
];

/** One row of STREAM_EVENT_COLUMNS. */
export type StreamEventRow = [
  position: number | string,
  id: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  schemaVersion: number,
  version: number,
  occurredAt: number,
  recordedAt: number,
];

/** `toRecordedEvents` for the rows of the one stream `streamId`: the same object shape, in one literal. */
export function toStreamEvents(rows: readonly StreamEventRow[], streamId: string): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    events[i] = {
      id: row[1],
      streamId,
      streamType: row[2],
      type: row[3],
      data: JSON.parse(row[4]),
      metadata: row[5] === '{}' ? {} : JSON.parse(row[5]),
      schemaVersion: row[6],
      version: row[7],
      position: BigInt(row[0]),
      occurredAt: new Date(row[8]),
      recordedAt: new Date(row[9]),
    };
  }
  return events;
}

/** One tight loop, one object shape: rows arrive as arrays and become events. */
export function toRecordedEvents(rows: readonly EventRow[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) events[i] = toRecordedEvent(rows[i]!);
  return events;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row[1],
    streamId: row[2],
    streamType: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    // Most events carry no metadata: skip the parser for the common '{}'.
    metadata: row[6] === '{}' ? {} : JSON.parse(row[6]),
    schemaVersion: row[7],
    version: row[8],
    position: BigInt(row[0]),
    occurredAt: new Date(row[9]),
    recordedAt: new Date(row[10]),
  };
}
