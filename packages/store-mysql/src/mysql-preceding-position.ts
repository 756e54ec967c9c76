import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import { toBigInt } from './mysql-event-row.js';

/**
 * The position of the last event (of some types) below a given one, for append-transaction hooks.
 * The append holds the sequence row from taking its positions until it commits, so every event
 * below them has committed or rolled back. Locking reads see the newest rows even under REPEATABLE
 * READ, whose snapshot may be older than the sequence lock; they lock only rows below the append's.
 */
export function precedingPositionQuery(
  eventsTable: string,
  timeout: number,
): (connection: MysqlQueryable, position: bigint, types: readonly string[] | undefined) => Promise<bigint> {
  const below = (where: string) =>
    `SELECT CAST(MAX(position) AS CHAR) FROM ${eventsTable} WHERE ${where} position < CAST(? AS UNSIGNED) LOCK IN SHARE MODE`;
  return async (connection, position, types) => {
    const at = position.toString();
    // One index step per type on (event_type, position), in one round trip.
    const sql =
      types === undefined
        ? below('')
        : types.map((_, i) => `(${below('event_type = ? AND')}) AS p${i}`).join(', ');
    const values: MysqlValue[] = types === undefined ? [at] : types.flatMap((type) => [type, at]);
    const text = types === undefined ? sql : `SELECT ${sql}`;
    try {
      const [rows] = await connection.execute({ sql: text, rowsAsArray: true, timeout }, values);
      let last = 0n;
      for (const value of (rows as unknown[][])[0] ?? []) {
        if (value === null) continue;
        const found = toBigInt(value);
        if (found > last) last = found;
      }
      return last;
    } catch (error) {
      throw toStoreError(error);
    }
  };
}
