import {
  assertDeadLetterKey,
  assertName,
  type DeadLetter,
  type DeadLetterStore,
  deadLetterFromRow,
  deadLetterRowValues,
  type ListDeadLettersOptions,
  normalizeListDeadLetters,
  prepareDeadLetter,
} from '@strata/core';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';

interface DeadLetterStatements {
  add: SqliteStatement;
  listFirst: SqliteStatement;
  listAfter: SqliteStatement;
  count: SqliteStatement;
  remove: SqliteStatement;
}

const COLUMNS = `projector, position, event_id, stream_id, version, event_type, error_name, error_message,
  error_stack, attempts, failed_at`;

/** Projectors' dead letters in the event store's database; get it as `store.deadLetters`. */
export class SqliteDeadLetterStore implements DeadLetterStore {
  private statements: DeadLetterStatements | undefined;

  /** @internal Created by `SqliteEventStore`. */
  constructor(private readonly connection: SqliteConnection<SqliteDatabase>) {}

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    const values = deadLetterRowValues(prepareDeadLetter(letter));
    this.run((s) => s.add.run(...values));
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const rows = this.run((s) =>
      after === undefined ? s.listFirst.all(projector, limit) : s.listAfter.all(projector, after, limit),
    ) as unknown[][];
    return rows.map(deadLetterFromRow);
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    return this.run((s) => (s.count.get(projector) as [number])[0]);
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    return this.run((s) => s.remove.run(projector, position).changes > 0);
  }

  private run<T>(work: (statements: DeadLetterStatements) => T): T {
    const db = this.connection.database();
    try {
      this.statements ??= prepare(db, this.connection.tables.deadLetters);
      return work(this.statements);
    } catch (error) {
      throw toStoreError(error, db);
    }
  }
}

function prepare(db: SqliteDatabase, table: string): DeadLetterStatements {
  // Positions are bigint in the contract: read integers exactly, convert the small ones.
  const list = (where: string) =>
    db
      .prepare(`SELECT ${COLUMNS} FROM ${table} WHERE ${where} ORDER BY position LIMIT ?`)
      .raw(true)
      .safeIntegers(true);
  return {
    add: db.prepare(
      `INSERT INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (projector, position) DO UPDATE SET event_id = excluded.event_id,
         stream_id = excluded.stream_id, version = excluded.version, event_type = excluded.event_type,
         error_name = excluded.error_name, error_message = excluded.error_message,
         error_stack = excluded.error_stack, attempts = excluded.attempts, failed_at = excluded.failed_at`,
    ),
    listFirst: list('projector = ?'),
    listAfter: list('projector = ? AND position > ?'),
    count: db.prepare(`SELECT count(*) FROM ${table} WHERE projector = ?`).raw(true),
    remove: db.prepare(`DELETE FROM ${table} WHERE projector = ? AND position = ?`),
  };
}
