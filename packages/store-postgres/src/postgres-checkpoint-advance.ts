import { assertName } from '@strata/core';
import { toStoreError } from './postgres-errors.js';
import type { PostgresClient } from './postgres-pool.js';
import { preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * `advanceCheckpointFromPreceding` for append-transaction hooks: the guarded checkpoint save with
 * the preceding position looked up inside it, one round trip where a lookup and a save took two.
 * The lookup is `precedingPositionQuery`'s (one backward index step per type); a racing save holds
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
      WHERE name = $1 AND position = (
        SELECT COALESCE(max(last), 0) FROM unnest($5::text[]) AS t(type), LATERAL (
          SELECT position AS last FROM ${tables.events}
           WHERE event_type = t.type AND position < $4 ORDER BY position DESC LIMIT 1) AS found)`,
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
