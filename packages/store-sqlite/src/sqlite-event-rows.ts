import type { RecordedEvent } from '@strata/core';

/**
 * The columns every event read selects, in the order `toRecordedEvents` expects. Reads run without
 * safe integers (a BigInt per column costs), so a position beyond 2^53 comes back as text, which
 * `BigInt()` parses exactly; the others are numbers, which `BigInt()` takes as they are.
 */
export const EVENT_COLUMNS =
  'CASE WHEN position > 9007199254740991 THEN CAST(position AS TEXT) ELSE position END, ' +
  'id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at';

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
