import { assertName } from '@strata/core';
import { inListSize, padded } from './in-list.js';
import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import { precedingOfTypeSql, precedingOfTypesSql } from './mysql-preceding-sql.js';
import type { MysqlTableNames } from './mysql-table-names.js';

/**
 * `advanceCheckpointFromPreceding` for append-transaction hooks: the guarded checkpoint save with
 * the preceding position looked up inside it, one round trip where a lookup and a save took two.
 * The lookups are `precedingPositionQuery`'s (mysql-preceding-sql.ts: locking reads, one index step
 * per type with the type index, one backward primary-key walk without it). The new position is
 * above the preceding one, so a matched row is always a changed one and `affectedRows` says
 * whether it moved.
 */
export function checkpointAdvanceQuery(
  tables: Pick<MysqlTableNames, 'events' | 'checkpoints'>,
  timeout: number,
  indexed: () => boolean,
): (
  connection: MysqlQueryable,
  name: string,
  position: bigint,
  below: bigint,
  types: readonly string[],
) => Promise<boolean> {
  const last = (lookup: string) => `COALESCE((${lookup}), 0)`;
  return async (connection, name, position, below, types) => {
    assertName(name, 'name');
    if (types.length === 0) return false;
    const at = below.toString();
    let preceding: string;
    let lookups: MysqlValue[];
    if (indexed()) {
      preceding = `GREATEST(0, ${types.map(() => last(precedingOfTypeSql(tables.events))).join(', ')})`;
      lookups = types.flatMap((type) => [type, at]);
    } else {
      const size = inListSize(types.length);
      preceding = last(precedingOfTypesSql(tables.events, size));
      lookups = [...padded(types, size), at];
    }
    const sql = `UPDATE ${tables.checkpoints} SET position = CAST(? AS UNSIGNED), updated_at = ?
      WHERE name = ? AND position = ${preceding}`;
    const values: MysqlValue[] = [position.toString(), Date.now(), name, ...lookups];
    try {
      const [header] = await connection.execute({ sql, timeout }, values);
      return (header as { affectedRows: number }).affectedRows > 0;
    } catch (error) {
      throw toStoreError(error);
    }
  };
}
