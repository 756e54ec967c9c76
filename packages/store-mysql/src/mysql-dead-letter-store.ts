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
import type { MysqlStoreContext } from './mysql-store-context.js';

// Numbers as text: exact whatever the pool's big-number settings.
const COLUMNS = `projector, CAST(position AS CHAR), event_id, stream_id, CAST(version AS CHAR), event_type,
  error_name, error_message, error_stack, CAST(attempts AS CHAR), CAST(failed_at AS CHAR)`;

/** Projectors' dead letters in the event store's database; get it as `store.deadLetters`. */
export class MysqlDeadLetterStore implements DeadLetterStore {
  private readonly sql: { add: string; listFirst: string; listAfter: string; count: string; remove: string };

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {
    const table = context.tables.deadLetters;
    const list = (where: string) =>
      `SELECT ${COLUMNS} FROM ${table} WHERE ${where} ORDER BY position LIMIT ?`;
    this.sql = {
      // REPLACE: a letter added again replaces the old row (no foreign keys point at it).
      add: `REPLACE INTO ${table} (projector, position, event_id, stream_id, version, event_type, error_name,
        error_message, error_stack, attempts, failed_at)
        VALUES (?, CAST(? AS UNSIGNED), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      listFirst: list('projector = ?'),
      listAfter: list('projector = ? AND position > CAST(? AS UNSIGNED)'),
      count: `SELECT count(*) FROM ${table} WHERE projector = ?`,
      remove: `DELETE FROM ${table} WHERE projector = ? AND position = CAST(? AS UNSIGNED)`,
    };
  }

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    const values = deadLetterRowValues(prepareDeadLetter(letter));
    // mysql2 would send a bigint position through a double: as text it stays exact.
    await this.context.write(
      this.sql.add,
      values.map((v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const rows =
      after === undefined
        ? await this.context.select(this.sql.listFirst, [projector, String(limit)])
        : await this.context.select(this.sql.listAfter, [projector, after.toString(), String(limit)]);
    return rows.map(deadLetterFromRow);
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    const rows = await this.context.select(this.sql.count, [projector]);
    return Number(rows[0]?.[0] ?? 0);
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    return (await this.context.write(this.sql.remove, [projector, position.toString()])) > 0;
  }
}
