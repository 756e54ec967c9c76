import { assertName } from '@strata/core';
import { toStoreError } from './postgres-errors.js';
import { lastOfTypesBelowSql } from './postgres-last-of-types.js';
import type { PostgresClient } from './postgres-pool.js';
import { preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * `advanceCheckpointFromPreceding` for append-transaction hooks: the guarded checkpoint save with
 * the preceding position looked up inside it, one round trip where a lookup and a save took two.
 * The lookup is `precedingPositionQuery`'s (`lastOfTypesBelowSql`); a racing save holds
 * the row, and this UPDATE waits for it and re-checks the row against the same preceding position.
 */
export function checkpointAdvanceQuery(
  tables: PostgresTableNames,
): (
  client: PostgresClient,
  name: string,
  position: bigint,
  below: bigint,
  types: readonly string[],
) => Promise<boolean> {
  const advance = preparedStatement(
    `UPDATE ${tables.checkpoints} SET position = $2, updated_at = $3
      WHERE name = $1 AND position = (${lastOfTypesBelowSql(tables, '$5::text[]', '$4::bigint')})`,
  );
  return async (client, name, position, below, types) => {
    assertName(name, 'name');
    try {
      const result = await client.query(
        advance.query([name, position.toString(), Date.now(), below.toString(), [...types]]),
      );
      return result.rowCount === 1;
    } catch (error) {
      throw toStoreError(error);
    }
  };
}
