/**
 * The statements `@strata/store-sqlite` runs, copied verbatim (table names for the default
 * `strata_` prefix) so the raw baseline and the adapter ask SQLite for exactly the same work.
 * When the store's SQL changes, change it here too, or the ratio stops meaning "adapter overhead".
 * Source: packages/store-sqlite/src/sqlite-event-statements.ts, sqlite-event-inserts.ts,
 * sqlite-event-rows.ts, sqlite-transactions.ts and sqlite-connection.ts.
 */
const EVENTS = '"strata_events"';
const POSITION_FLOOR = '"strata_position_floor"';
const DELETED_HEADS = '"strata_deleted_heads"';

const POSITION_BEFORE = `max(coalesce((SELECT max(position) FROM ${EVENTS}), 0), (SELECT position FROM ${POSITION_FLOOR}))`;

const INSERT_COLUMNS =
  '(position, id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)';

/**
 * The store's multi-row insert of `rows` events (sqlite-event-inserts.ts): per row id, event_type,
 * data, metadata, schema_version and occurred_at; the rest bound once, by name.
 */
export function sqliteRawInsert(rows: number): string {
  const values = Array.from(
    { length: rows },
    (_, i) =>
      `(@position + ${i + 1}, ?, @streamId, @streamType, ?, ?, ?, @version + ${i + 1}, ?, ?, @recordedAt)`,
  );
  return `INSERT INTO ${EVENTS} ${INSERT_COLUMNS} VALUES ${values.join(', ')}`;
}

/** EVENT_COLUMNS in sqlite-event-rows.ts: positions past 2^53 come back as text, for `BigInt()`. */
const POSITION_COLUMN = 'CASE WHEN position > 9007199254740991 THEN CAST(position AS TEXT) ELSE position END';
export const EVENT_COLUMNS = `${POSITION_COLUMN}, id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at`;
/** STREAM_EVENT_COLUMNS in sqlite-event-rows.ts: one stream's reads leave out `stream_id`. */
export const STREAM_EVENT_COLUMNS = `${POSITION_COLUMN}, id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at`;

export const SQLITE_RAW_SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  headOfLiveStream: `SELECT max(version, coalesce((SELECT d.version FROM ${DELETED_HEADS} d WHERE d.stream_id = e.stream_id), 0)),
                stream_type, ${POSITION_BEFORE}
           FROM ${EVENTS} e WHERE stream_id = ? ORDER BY version DESC LIMIT 1`,
  headOfEmptyStream: `SELECT coalesce(d.version, 0), d.stream_type, ${POSITION_BEFORE}
           FROM (SELECT 1) LEFT JOIN ${DELETED_HEADS} d ON d.stream_id = ?`,
  readForward: `SELECT ${STREAM_EVENT_COLUMNS} FROM ${EVENTS} WHERE stream_id = ? AND version >= ? AND version <= ?
         ORDER BY version LIMIT ?`,
  readAll: `SELECT ${EVENT_COLUMNS} FROM ${EVENTS} WHERE position > ? ORDER BY position LIMIT ?`,
} as const;

/** The connection set-up of sqlite-connection.ts (the store's default busy timeout is 5000 ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
