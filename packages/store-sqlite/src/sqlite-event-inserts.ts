import type { PreparedEvent } from '@strata/core';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * Rows per `INSERT`: 6 bound values each keeps a statement far below SQLite's limit on bound
 * parameters (32,766), and a larger batch takes several statements in the same transaction.
 */
export const INSERT_CHUNK = 256;

const COLUMNS =
  '(position, id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)';

/**
 * Row `k` (from 1) of a chunk. Only what differs per event is bound per row; the stream, its type,
 * the recording time and the first position and version are bound once per statement, by name,
 * and each row's position and version are the chunk's plus its literal `k`. Binding a value costs
 * more than SQLite's addition: 6 values a row instead of 11 took 100-event appends in raw
 * better-sqlite3 from 3.80 to 3.61 µs per event (medians of 7; the bench floor's 8 values: 3.30).
 */
function row(k: number): string {
  return `(@position + ${k}, ?, @streamId, @streamType, ?, ?, ?, @version + ${k}, ?, ?, @recordedAt)`;
}

/** The largest position better-sqlite3 can bind as a plain number without losing digits. */
const SAFE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/** Where a batch goes: its stream, and the position and version just before its first event. */
export interface InsertTarget {
  streamId: string;
  streamType: string;
  positionBefore: bigint;
  versionBefore: number;
  recordedAt: number;
}

/**
 * Multi-row `INSERT`s of a batch's events, one prepared statement per row count (a batch of n
 * events runs one statement, not n). Positions are given explicitly: the caller has the write
 * lock and knows the last one handed out.
 */
export class SqliteEventInserts {
  private readonly bySize = new Map<number, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly t: SqliteTableNames,
  ) {}

  /** Writes `events` at the positions and versions after `target`'s; throws what SQLite throws. */
  insert(target: InsertTarget, events: readonly PreparedEvent[]): void {
    // Positions past 2^53 are bound as bigints (SQLite adds in 64-bit integers), the rest as
    // numbers (cheaper to make and bind).
    const exact = target.positionBefore + BigInt(events.length) > SAFE_POSITION;
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const end = Math.min(start + INSERT_CHUNK, events.length);
      const perRow = new Array<unknown>((end - start) * 6);
      let p = 0;
      for (let i = start; i < end; i++) {
        const event = events[i]!;
        perRow[p++] = event.id;
        perRow[p++] = event.type;
        perRow[p++] = event.dataJson;
        perRow[p++] = event.metadataJson;
        perRow[p++] = event.schemaVersion;
        perRow[p++] = event.occurredAt.getTime();
      }
      const position = target.positionBefore + BigInt(start);
      this.statement(end - start).run(perRow, {
        position: exact ? position : Number(position),
        streamId: target.streamId,
        streamType: target.streamType,
        version: target.versionBefore + start,
        recordedAt: target.recordedAt,
      });
    }
  }

  private statement(rows: number): SqliteStatement {
    let statement = this.bySize.get(rows);
    if (statement === undefined) {
      const values = Array.from({ length: rows }, (_, i) => row(i + 1)).join(', ');
      statement = this.db.prepare(`INSERT INTO ${this.t.events} ${COLUMNS} VALUES ${values}`);
      this.bySize.set(rows, statement);
    }
    return statement;
  }
}
