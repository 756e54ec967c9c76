import type { PreparedEvent } from '@strata/core';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * Rows per `INSERT`: 11 bound values each keeps a statement far below SQLite's limit on bound
 * parameters (32,766), and a larger batch takes several statements in the same transaction.
 */
export const INSERT_CHUNK = 256;

const COLUMNS =
  '(position, id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

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
    // Positions past 2^53 are bound as bigints, the rest as numbers (cheaper to make and bind).
    const exact = target.positionBefore + BigInt(events.length) > SAFE_POSITION;
    const first = exact ? 0 : Number(target.positionBefore);
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const end = Math.min(start + INSERT_CHUNK, events.length);
      const params = new Array<unknown>((end - start) * 11);
      let p = 0;
      for (let i = start; i < end; i++) {
        const event = events[i]!;
        params[p++] = exact ? target.positionBefore + BigInt(i + 1) : first + i + 1;
        params[p++] = event.id;
        params[p++] = target.streamId;
        params[p++] = target.streamType;
        params[p++] = event.type;
        params[p++] = event.dataJson;
        params[p++] = event.metadataJson;
        params[p++] = target.versionBefore + i + 1;
        params[p++] = event.schemaVersion;
        params[p++] = event.occurredAt.getTime();
        params[p++] = target.recordedAt;
      }
      this.statement(end - start).run(params);
    }
  }

  private statement(rows: number): SqliteStatement {
    let statement = this.bySize.get(rows);
    if (statement === undefined) {
      const values = new Array<string>(rows).fill(ROW).join(', ');
      statement = this.db.prepare(`INSERT INTO ${this.t.events} ${COLUMNS} VALUES ${values}`);
      this.bySize.set(rows, statement);
    }
    return statement;
  }
}
