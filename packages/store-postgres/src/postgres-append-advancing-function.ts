import { APPEND_WRITTEN } from './postgres-append-function.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * SQL for the last position of the event types `types` (a `text[]` expression) below `below`, 0 when
 * none. Each migration that (re)creates the function passes its own, so a released one stays as it was.
 */
export type LastOfTypesBelow = (types: string, below: string) => string;

/** Migration 7's lookup: one backward step per type on the `(event_type, position)` index it relied on. */
export function lastOfTypesBelowByTypeIndex(t: PostgresTableNames): LastOfTypesBelow {
  return (types, below) => `
              SELECT COALESCE(max(found.last), 0)
                FROM unnest(${types}) AS k(type),
                LATERAL (SELECT e.position AS last FROM ${t.events} AS e
                          WHERE e.event_type = k.type AND e.position < ${below}
                          ORDER BY e.position DESC LIMIT 1) AS found`;
}

/**
 * The append function (migration 1's, called unchanged) followed, in the same call, by the guarded
 * checkpoint moves that append-transaction hooks asked for (`advanceCheckpoint`): a realtime
 * projector's bookkeeping costs no round trip of its own.
 *
 * The moves run here, in a statement after the append call, and not in a CTE of the caller's
 * statement: that statement's snapshot is taken before the append call takes the position lock,
 * so it could miss an event committed meanwhile and move a checkpoint that is behind. Each
 * statement of a VOLATILE plpgsql function in READ COMMITTED takes a fresh snapshot, and this one
 * comes after the lock: every event below this group's positions has committed or rolled back.
 *
 * Per written append (in the group's order, each one's preceding lookup sees the group's earlier
 * appends) and per requested checkpoint whose types it holds (`p_last_typed`: the 1-based index
 * in the append of the last event of those types, 0 for none), the move is
 * `advanceCheckpointFromPreceding`'s: from the last event of the types before the append to that
 * event, only if the checkpoint stands there (0 counts as there when none precedes). `r_advanced`
 * says per checkpoint whether it moved (NULL: not tried). Migration 1's function stays for the
 * appends without such a hook, and for processes of an older version during a rolling upgrade.
 */
export function appendAdvancingFunctionSql(t: PostgresTableNames, lastOfTypes: LastOfTypesBelow): string {
  return `
CREATE OR REPLACE FUNCTION ${t.appendAdvancingFunction}(
  p_stream_ids text[], p_stream_types text[], p_expected bigint[], p_counts integer[], p_check_order integer[],
  p_event_ids text[], p_event_types text[], p_data text[], p_metadata text[], p_schema_versions integer[],
  p_occurred_at bigint[], p_recorded_at bigint,
  p_checkpoint_names text[], p_checkpoint_type_counts integer[], p_checkpoint_types text[], p_last_typed integer[])
RETURNS TABLE (r_status integer, r_version integer, r_stream_type text, r_first_position bigint, r_found json,
               r_advanced boolean[])
LANGUAGE plpgsql
-- As the append function: key look-ups whose best plan does not depend on the values.
SET plan_cache_mode = force_generic_plan
AS $strata$
#variable_conflict error
DECLARE
  v_count integer := cardinality(p_stream_ids);
  v_checkpoints integer := coalesce(cardinality(p_checkpoint_names), 0);
  v_statuses integer[];
  v_versions integer[];
  v_stream_types text[];
  v_first_positions bigint[];
  v_founds json[];
  v_advanced boolean[];
  v_i integer;
  v_c integer;
  v_types_from integer;
  v_last integer;
BEGIN
  SELECT array_agg(f.r_status ORDER BY f.j), array_agg(f.r_version ORDER BY f.j),
         array_agg(f.r_stream_type ORDER BY f.j), array_agg(f.r_first_position ORDER BY f.j),
         array_agg(f.r_found ORDER BY f.j)
    INTO v_statuses, v_versions, v_stream_types, v_first_positions, v_founds
    FROM ${t.appendFunction}(p_stream_ids, p_stream_types, p_expected, p_counts, p_check_order, p_event_ids,
                             p_event_types, p_data, p_metadata, p_schema_versions, p_occurred_at, p_recorded_at)
         WITH ORDINALITY AS f(r_status, r_version, r_stream_type, r_first_position, r_found, j);

  FOR v_i IN 1 .. v_count LOOP
    v_advanced := array_fill(NULL::boolean, ARRAY[v_checkpoints]);
    IF v_statuses[v_i] = ${APPEND_WRITTEN} THEN
      v_types_from := 0;
      FOR v_c IN 1 .. v_checkpoints LOOP
        v_last := p_last_typed[(v_i - 1) * v_checkpoints + v_c];
        IF v_last > 0 THEN
          UPDATE ${t.checkpoints} AS c SET position = v_first_positions[v_i] + v_last - 1, updated_at = p_recorded_at
            WHERE c.name = p_checkpoint_names[v_c] AND c.position = (${lastOfTypes(
              'p_checkpoint_types[v_types_from + 1 : v_types_from + p_checkpoint_type_counts[v_c]]',
              'v_first_positions[v_i]',
            )});
          v_advanced[v_c] := FOUND;
        END IF;
        v_types_from := v_types_from + p_checkpoint_type_counts[v_c];
      END LOOP;
    END IF;
    r_status := v_statuses[v_i];
    r_version := v_versions[v_i];
    r_stream_type := v_stream_types[v_i];
    r_first_position := v_first_positions[v_i];
    r_found := v_founds[v_i];
    r_advanced := v_advanced;
    RETURN NEXT;
  END LOOP;
END
$strata$`;
}
