import { inListSize, padded } from './in-list.js';
import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import { toBigInt } from './mysql-event-row.js';
import { precedingOfTypeSql, precedingOfTypesSql } from './mysql-preceding-sql.js';

/**
 * The position of the last event (of some types) below a given one, for append-transaction hooks;
 * 0 when there is none. The lookups and what they lock: mysql-preceding-sql.ts. `indexed` says
 * whether the events table has the type index (read when the store opened).
 */
export function precedingPositionQuery(
  eventsTable: string,
  timeout: number,
  indexed: () => boolean,
): (connection: MysqlQueryable, position: bigint, types: readonly string[] | undefined) => Promise<bigint> {
  const any = `SELECT CAST(MAX(position) AS CHAR) FROM ${eventsTable} WHERE position < CAST(? AS UNSIGNED) LOCK IN SHARE MODE`;
  return async (connection, position, types) => {
    const at = position.toString();
    let sql: string;
    let values: MysqlValue[];
    if (types?.length === 0) return 0n;
    if (types === undefined) {
      [sql, values] = [any, [at]];
    } else if (indexed()) {
      // One round trip: a column per type, as text (exact for every BIGINT UNSIGNED).
      const one = `CAST((${precedingOfTypeSql(eventsTable)}) AS CHAR)`;
      sql = `SELECT ${types.map((_, i) => `${one} AS p${i}`).join(', ')}`;
      values = types.flatMap((type) => [type, at]);
    } else {
      const size = inListSize(types.length);
      sql = `SELECT CAST((${precedingOfTypesSql(eventsTable, size)}) AS CHAR)`;
      values = [...padded(types, size), at];
    }
    try {
      const [rows] = await connection.execute({ sql, rowsAsArray: true, timeout }, values);
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
