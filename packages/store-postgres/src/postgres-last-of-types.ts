import type { PostgresTableNames } from './postgres-table-names.js';

/** Rows in the first window of the walk back; each further window is twice as wide. */
const FIRST_WINDOW = 16;
/** Windows enough to reach position 0 from the highest position (2^63 - 1). */
const WINDOWS = 60;

/**
 * SQL for "the position of the last event of these types below this one, 0 when none": the lookup of
 * `precedingPosition`, `advanceCheckpointFromPreceding` and the append-advancing function. `types` and
 * `below` are SQL expressions (a `text[]` and a `bigint`: parameters, or plpgsql variables).
 *
 * The type index is optional (option `typeIndex`), and this is shared by stores with either setting
 * and by the plpgsql function, so the statement asks the catalog at run time whether a valid one is
 * there (one syscache-backed lookup per statement) rather than trusting one process's option. With
 * it: one backward index step per type. Without it: a walk back over the position index in windows
 * of 16, 32, 64... positions, stopping at the first window that holds an event of any of the types
 * (its last one is the last of them all). A plain backward scan would stop there too on one table,
 * but on a partitioned one it merges a scan per partition, and a partition that holds none of the
 * types would be read back to position 0 on every call; a window bounds every partition's scan, and
 * the windows together read at most about twice the distance to the match. An index still being
 * built is not valid, and the walk is used until it is. Only the chosen branch runs.
 */
export function lastOfTypesBelowSql(t: PostgresTableNames, types: string, below: string): string {
  const low = (k: string) => `GREATEST(${below}::numeric - ${FIRST_WINDOW} * 2::numeric ^ ${k}, 0)::bigint`;
  return `CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_index
                   WHERE indexrelid = to_regclass(${t.typeIndexLiteral}) AND indisvalid)
  THEN (SELECT COALESCE(max(found.last), 0) FROM unnest(${types}) AS k(type), LATERAL (
          SELECT e.position AS last FROM ${t.events} AS e
           WHERE e.event_type = k.type AND e.position < ${below} ORDER BY e.position DESC LIMIT 1) AS found)
  ELSE COALESCE((SELECT found.last FROM generate_series(0, ${WINDOWS - 1}) AS w(k), LATERAL (
          SELECT max(e.position) AS last FROM ${t.events} AS e
           WHERE e.event_type = ANY(${types}) AND e.position >= ${low('w.k')}
             AND e.position < CASE WHEN w.k = 0 THEN ${below} ELSE ${low('(w.k - 1)')} END) AS found
         WHERE (w.k = 0 OR ${low('(w.k - 1)')} > 0) AND found.last IS NOT NULL
         LIMIT 1), 0)
  END`;
}
