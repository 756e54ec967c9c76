import type { RecordedEvent } from '@strata/core';
import type { PostgresTypeParsers } from './postgres-pool.js';

/**
 * Every column as the server's text, for this query only: the store converts the few columns it
 * reads itself (cheaper than pg's generic parsers), and the caller's pool keeps its own parsers.
 */
export const RAW_TEXT: PostgresTypeParsers = {
  getTypeParser: () => identity,
};

function identity(value: string): string {
  return value;
}

/** The select list every event read uses, in the order `decodeEvent` expects. */
export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at';

export type EventRow = [
  position: string,
  id: string,
  streamId: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  version: string,
  schemaVersion: string,
  occurredAt: string,
  recordedAt: string,
];

export function decodeEvent(row: EventRow): RecordedEvent {
  return {
    id: row[1],
    streamId: row[2],
    streamType: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
    schemaVersion: Number(row[8]),
    version: Number(row[7]),
    position: BigInt(row[0]),
    occurredAt: new Date(Number(row[9])),
    recordedAt: new Date(Number(row[10])),
  };
}

export function decodeEvents(rows: unknown[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) events[i] = decodeEvent(rows[i] as EventRow);
  return events;
}
