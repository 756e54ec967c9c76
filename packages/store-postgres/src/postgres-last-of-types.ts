import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * SQL for "the position of the last event of these types below this one, 0 when none": the lookup of
 * `precedingPosition`, `advanceCheckpointFromPreceding` and the append-advancing function. `types` and
 * `below` are SQL expressions (a `text[]` and a `bigint`: parameters, or plpgsql variables).
 *
 * The type index is optional (option `typeIndex`), and this is shared by stores with either setting
 * and by the plpgsql function, so the statement asks the catalog at run time whether a valid one is
 * there (one syscache-backed lookup per statement) rather than trusting one process's option. With
 * it: one backward index step per type. Without it: one backward walk of the position index that
 * stops at the first event of any of the types, which is the last of them all; one walk per type
 * would go back to the last event of the rarest type. An index still being built is not valid, and
 * the walk is used until it is. Both branches are uncorrelated subqueries, so only the chosen one runs.
 */
export function lastOfTypesBelowSql(t: PostgresTableNames, types: string, below: string): string {
  return `CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_index
                   WHERE indexrelid = to_regclass(${t.typeIndexLiteral}) AND indisvalid)
  THEN (SELECT COALESCE(max(found.last), 0) FROM unnest(${types}) AS k(type), LATERAL (
          SELECT e.position AS last FROM ${t.events} AS e
           WHERE e.event_type = k.type AND e.position < ${below} ORDER BY e.position DESC LIMIT 1) AS found)
  ELSE COALESCE((SELECT e.position FROM ${t.events} AS e
           WHERE e.event_type = ANY(${types}) AND e.position < ${below} ORDER BY e.position DESC LIMIT 1), 0)
  END`;
}
