import { toStoreError } from './postgres-errors.js';
import { lastOfTypesBelowSql } from './postgres-last-of-types.js';
import type { PostgresClient } from './postgres-pool.js';
import { preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * The position of the last event (of some types) below a given one, for append-transaction hooks.
 * The append holds the position lock until it commits, and took it before its positions: every
 * event below them has committed or rolled back, and READ COMMITTED gives each statement a fresh
 * snapshot that sees them.
 */
export function precedingPositionQuery(
  tables: PostgresTableNames,
): (client: PostgresClient, position: bigint, types: readonly string[] | undefined) => Promise<bigint> {
  const any = preparedStatement(
    `SELECT COALESCE(max(position), 0) FROM ${tables.events} WHERE position < $1`,
  );
  const ofTypes = preparedStatement(`SELECT ${lastOfTypesBelowSql(tables, '$2::text[]', '$1::bigint')}`);
  return async (client, position, types) => {
    const query =
      types === undefined
        ? any.query([position.toString()])
        : ofTypes.query([position.toString(), [...types]]);
    try {
      const { rows } = await client.query(query);
      return BigInt((rows[0] as [string])[0]);
    } catch (error) {
      throw toStoreError(error);
    }
  };
}
