import { assertName } from '@strata/core';
import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import type { MysqlTableNames } from './mysql-table-names.js';

/**
 * `advanceCheckpointFromPreceding` for append-transaction hooks: the guarded checkpoint save with
 * the preceding position looked up inside it, one round trip where a lookup and a save took two.
 * The lookups are `precedingPositionQuery`'s (one locking index step per type, so they see the
 * newest rows under REPEATABLE READ too). The new position is above the preceding one, so a
 * matched row is always a changed one and `affectedRows` says whether it moved.
 */
export function checkpointAdvanceQuery(
  tables: Pick<MysqlTableNames, 'events' | 'checkpoints'>,
  timeout: number,
): (
  connection: MysqlQueryable,
  name: string,
  position: bigint,
  below: bigint,
  types: readonly string[],
) => Promise<boolean> {
  const last = `COALESCE((SELECT MAX(position) FROM ${tables.events}
     WHERE event_type = ? AND position < CAST(? AS UNSIGNED) LOCK IN SHARE MODE), 0)`;
  return async (connection, name, position, below, types) => {
    assertName(name, 'name');
    if (types.length === 0) return false;
    const sql = `UPDATE ${tables.checkpoints} SET position = CAST(? AS UNSIGNED), updated_at = ?
      WHERE name = ? AND position = GREATEST(0, ${types.map(() => last).join(', ')})`;
    const at = below.toString();
    const values: MysqlValue[] = [
      position.toString(),
      Date.now(),
      name,
      ...types.flatMap((type) => [type, at]),
    ];
    try {
      const [header] = await connection.execute({ sql, timeout }, values);
      return (header as { affectedRows: number }).affectedRows > 0;
    } catch (error) {
      throw toStoreError(error);
    }
  };
}
