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
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';

const COLUMNS = `projector, position, event_id, stream_id, version, event_type, error_name, error_message,
  error_stack, attempts, failed_at`;

/**
 * Projectors' dead letters in the event store's database. Get it as `store.deadLetters`; it shares
 * the store's pool, table prefix and lifetime.
 */
export class PostgresDeadLetterStore implements DeadLetterStore {
  private readonly add: PreparedStatement;
  private readonly listFirst: PreparedStatement;
  private readonly listAfter: PreparedStatement;
  private readonly count: PreparedStatement;
  private readonly remove: PreparedStatement;

  constructor(private readonly connection: PostgresConnection) {
    const table = connection.tables.deadLetters;
    this.add = preparedStatement(
      `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (projector, position) DO UPDATE SET event_id = EXCLUDED.event_id,
         stream_id = EXCLUDED.stream_id, version = EXCLUDED.version, event_type = EXCLUDED.event_type,
         error_name = EXCLUDED.error_name, error_message = EXCLUDED.error_message,
         error_stack = EXCLUDED.error_stack, attempts = EXCLUDED.attempts, failed_at = EXCLUDED.failed_at`,
    );
    this.listFirst = preparedStatement(
      `SELECT ${COLUMNS} FROM ${table} WHERE projector = $1 ORDER BY position LIMIT $2`,
    );
    this.listAfter = preparedStatement(
      `SELECT ${COLUMNS} FROM ${table} WHERE projector = $1 AND position > $2 ORDER BY position LIMIT $3`,
    );
    this.count = preparedStatement(`SELECT count(*) FROM ${table} WHERE projector = $1`);
    this.remove = preparedStatement(`DELETE FROM ${table} WHERE projector = $1 AND position = $2`);
  }

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    const values = deadLetterRowValues(prepareDeadLetter(letter));
    // Parameters go as text: the position is a bigint.
    await this.connection.query(
      this.add.query(values.map((v) => (typeof v === 'bigint' ? v.toString() : v))),
    );
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const query =
      after === undefined
        ? this.listFirst.query([projector, limit])
        : this.listAfter.query([projector, after.toString(), limit]);
    const { rows } = await this.connection.query(query);
    return (rows as unknown[][]).map(deadLetterFromRow);
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    const { rows } = await this.connection.query(this.count.query([projector]));
    return Number((rows[0] as [string])[0]);
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    const { rowCount } = await this.connection.query(this.remove.query([projector, position.toString()]));
    return (rowCount ?? 0) > 0;
  }
}
