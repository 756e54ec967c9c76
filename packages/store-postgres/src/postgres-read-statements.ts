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
  /**
   * $1 after, $2 limit, $3 types. Without the type index (the default), a forward walk of the
   * position index that stops at the limit; with it (`typeIndex`), the planner may read it instead.
   */
  readAllOfTypes: PreparedStatement;
  /**
   * The same on a partitioned events table, where the position index is one per partition and a
   * read merges a scan of each: without the type index, a partition holding none of the types would
   * be read to the end of the log. So the read is first bounded: windows of `limit`, 2 x `limit`,
   * 4 x `limit`... positions after `after` are counted (each count stops at `limit` matches) until
   * one holds `limit` events of the types or reaches past the last position; the read then scans
   * no further than that window. It reads about three times the positions an unpartitioned walk
   * does, and never the rest of the log.
   */
  readAllOfTypesPartitioned: PreparedStatement;
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
    readAllOfTypesPartitioned: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${t.events}
        WHERE position > $1 AND event_type = ANY($3::text[]) AND position <= COALESCE((
          SELECT ${windowEnd('w.k')} FROM generate_series(0, 62) AS w(k)
           WHERE $2::bigint IS NOT NULL
             AND (w.k = 0 OR ${windowEnd('(w.k - 1)')} < (SELECT max(position) FROM ${t.events}))
             AND (SELECT count(*) FROM (SELECT FROM ${t.events}
                   WHERE position > $1 AND position <= ${windowEnd('w.k')} AND event_type = ANY($3::text[])
                   LIMIT $2) AS matched) >= $2
           LIMIT 1), ${MAX_BIGINT})
        ORDER BY position LIMIT $2`,
    ),
    streamVersion: preparedStatement(`SELECT version FROM ${t.streams} WHERE stream_id = $1`),
    storageId: preparedStatement(`SELECT id FROM ${t.storage}`),
    lastPosition: preparedStatement(`SELECT coalesce(max(position), 0) FROM ${t.events}`),
  };
}

const MAX_BIGINT = '9223372036854775807';

/** The last position of window `k` of a partitioned typed read: `after + limit * 2^k`, capped. */
function windowEnd(k: string): string {
  return `LEAST($1::numeric + $2::numeric * 2::numeric ^ ${k}, ${MAX_BIGINT})::bigint`;
}
