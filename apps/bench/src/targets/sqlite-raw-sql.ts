/**
 * The statements `@strata/store-sqlite` runs, copied verbatim (table names for the default
 * `strata_` prefix) so the raw baseline and the adapter ask SQLite for exactly the same work.
 * When the store's SQL changes, change it here too, or the ratio stops meaning "adapter overhead".
 * Source: packages/store-sqlite/src/sqlite-event-statements.ts, sqlite-event-rows.ts,
 * sqlite-transactions.ts and sqlite-connection.ts.
 */
const EVENTS = '"strata_events"';
const STREAMS = '"strata_streams"';

/** EVENT_COLUMNS in sqlite-event-rows.ts: positions past 2^53 come back as text, for `BigInt()`. */
export const EVENT_COLUMNS =
  'CASE WHEN position > 9007199254740991 THEN CAST(position AS TEXT) ELSE position END, ' +
  'id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at';

export const SQLITE_RAW_SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  streamHead: `SELECT version, stream_type FROM ${STREAMS} WHERE stream_id = ?`,
  insertStream: `INSERT INTO ${STREAMS} (stream_id, stream_type, version) VALUES (?, ?, ?)`,
  updateStream: `UPDATE ${STREAMS} SET version = ? WHERE stream_id = ?`,
  insertEvent: `INSERT INTO ${EVENTS} (id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  readForward: `SELECT ${EVENT_COLUMNS} FROM ${EVENTS} WHERE stream_id = ? AND version >= ? AND version <= ?
         ORDER BY version LIMIT ?`,
  readAll: `SELECT ${EVENT_COLUMNS} FROM ${EVENTS} WHERE position > ? ORDER BY position LIMIT ?`,
} as const;

/** The connection set-up of sqlite-connection.ts (the store's default busy timeout is 5000 ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
