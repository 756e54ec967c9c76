import { EVENT_COLUMNS } from './postgres-row-codec.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/** The event store's reads; each is answered by one index (noted per statement). */
export interface PostgresReadStatements {
  /** $1 stream, $2..$3 versions, $4 limit (NULL = all). Primary/unique key (stream_id, version). */
  readStreamForward: PreparedStatement;
  readStreamBackward: PreparedStatement;
  /** $1 stream ids, $2 from version. Same key, one probe per id. */
  readStreams: PreparedStatement;
  /** $1 after, $2 limit. Index on position. */
  readAll: PreparedStatement;
  /** $1 after, $2 limit, $3 types. Index on (event_type, position). */
  readAllOfTypes: PreparedStatement;
  /** $1 stream. Primary key of the streams table. */
  streamVersion: PreparedStatement;
  /** The one row of the storage table. */
  storageId: PreparedStatement;
  /** The highest committed position, 0 for none. One backward step on the position index (per partition). */
  lastPosition: PreparedStatement;
}

export function readStatements(t: PostgresTableNames): PostgresReadStatements {
  const streamRange = `SELECT ${EVENT_COLUMNS} FROM ${t.events}
     WHERE stream_id = $1 AND version >= $2 AND version <= $3`;
  return {
    readStreamForward: preparedStatement(`${streamRange} ORDER BY version LIMIT $4`),
    readStreamBackward: preparedStatement(`${streamRange} ORDER BY version DESC LIMIT $4`),
    readStreams: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${t.events}
        WHERE stream_id = ANY($1::text[]) AND version >= $2 ORDER BY stream_id, version`,
    ),
    readAll: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE position > $1 ORDER BY position LIMIT $2`,
    ),
    readAllOfTypes: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${t.events}
        WHERE position > $1 AND event_type = ANY($3::text[]) ORDER BY position LIMIT $2`,
    ),
    streamVersion: preparedStatement(`SELECT version FROM ${t.streams} WHERE stream_id = $1`),
    storageId: preparedStatement(`SELECT id FROM ${t.storage}`),
    lastPosition: preparedStatement(`SELECT coalesce(max(position), 0) FROM ${t.events}`),
  };
}
