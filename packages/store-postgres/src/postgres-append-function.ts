import { positionLockSql } from './postgres-position-lock.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/** `p_expected` codes for the expectations that are not a version number. */
export const EXPECT_ANY = -1;
export const EXPECT_STREAM_EXISTS = -2;

/** `r_status` of each append in the function's result. */
export const APPEND_WRITTEN = 0;
export const APPEND_CONFLICT = 1;
export const APPEND_IDS_EXIST = 2;

/**
 * The server-side append: one call checks and writes a whole group of appends, so an append costs
 * one round trip and concurrent appends share one transaction and one commit.
 *
 * Phase 1 checks each append (in `p_check_order`, sorted by stream id so that two groups locking
 * the same stream rows always lock them in the same order and cannot deadlock): are any of its
 * event ids stored already (the client then resolves an idempotent retry), and does the stream
 * row satisfy the expected version. The version check and the version bump are one statement on
 * the stream's row, whose row lock makes concurrent appenders to one stream queue up; in READ
 * COMMITTED the one that waited re-checks the committed row, so exactly one of them wins.
 *
 * Phase 2 takes the position lock, a transaction-scoped advisory lock, and only then takes
 * positions from the sequence and inserts the events. The lock is held until the transaction's
 * commit is visible, so positions become visible in increasing order and a reader of the global log
 * can never see position n+1 while n is still in flight (docs/global-ordering.md).
 */
export function appendFunctionSql(t: PostgresTableNames, partitioned: boolean): string {
  const lookup = partitioned ? t.eventIds : t.events;
  const foundQuery = `SELECT json_agg(json_build_array(x.event_id, x.stream_id, x.version, x.position::text))
        FROM ${lookup} AS x WHERE x.event_id = ANY(v_ids)`;
  const selectRows = `SELECT v_first_positions[a.i] + (g.k - v_offsets[a.i] - 1), p_event_ids[g.k], p_stream_ids[a.i],
             v_stream_types[a.i], p_event_types[g.k], p_data[g.k]::json, p_metadata[g.k]::json,
             v_versions[a.i] + (g.k - v_offsets[a.i]), p_schema_versions[g.k], p_occurred_at[g.k], p_recorded_at
        FROM generate_series(1, v_count) AS a(i),
             generate_series(v_offsets[a.i] + 1, v_offsets[a.i] + p_counts[a.i]) AS g(k)
       WHERE v_statuses[a.i] = ${APPEND_WRITTEN}`;
  const insertIds = partitioned
    ? `INSERT INTO ${t.eventIds} (position, event_id, stream_id, version)
      SELECT v_first_positions[a.i] + (g.k - v_offsets[a.i] - 1), p_event_ids[g.k], p_stream_ids[a.i],
             v_versions[a.i] + (g.k - v_offsets[a.i])
        FROM generate_series(1, v_count) AS a(i),
             generate_series(v_offsets[a.i] + 1, v_offsets[a.i] + p_counts[a.i]) AS g(k)
       WHERE v_statuses[a.i] = ${APPEND_WRITTEN};`
    : '';
  return `
CREATE OR REPLACE FUNCTION ${t.appendFunction}(
  p_stream_ids text[], p_stream_types text[], p_expected bigint[], p_counts integer[], p_check_order integer[],
  p_event_ids text[], p_event_types text[], p_data text[], p_metadata text[], p_schema_versions integer[],
  p_occurred_at bigint[], p_recorded_at bigint)
RETURNS TABLE (r_status integer, r_version integer, r_stream_type text, r_first_position bigint, r_found json)
LANGUAGE plpgsql
-- Every statement here is a key look-up or an insert whose best plan does not depend on the values;
-- with the default, PL/pgSQL keeps re-planning them (custom plans look cheaper for one-element
-- arrays), which cost more than running them.
SET plan_cache_mode = force_generic_plan
AS $strata$
#variable_conflict error
DECLARE
  v_count integer := cardinality(p_stream_ids);
  v_offsets integer[] := array_fill(0, ARRAY[v_count]);
  v_statuses integer[] := array_fill(${APPEND_WRITTEN}, ARRAY[v_count]);
  v_versions integer[] := array_fill(0, ARRAY[v_count]);
  v_stream_types text[] := array_fill(NULL::text, ARRAY[v_count]);
  v_first_positions bigint[] := array_fill(NULL::bigint, ARRAY[v_count]);
  v_founds json[] := array_fill(NULL::json, ARRAY[v_count]);
  v_i integer;
  v_n integer;
  v_total integer := 0;
  v_written integer := 0;
  v_ids text[];
  v_expected bigint;
  v_before integer;
  v_type text;
  v_found json;
  v_next bigint;
BEGIN
  FOR v_i IN 1 .. v_count LOOP
    v_offsets[v_i] := v_total;
    v_total := v_total + p_counts[v_i];
  END LOOP;

  FOREACH v_i IN ARRAY p_check_order LOOP
    v_n := p_counts[v_i];
    v_ids := p_event_ids[v_offsets[v_i] + 1 : v_offsets[v_i] + v_n];
    -- An idempotent retry is decided before the version check: its expected version may be stale.
    ${foundQuery} INTO v_found;
    IF v_found IS NOT NULL THEN
      v_statuses[v_i] := ${APPEND_IDS_EXIST};
      v_founds[v_i] := v_found;
      CONTINUE;
    END IF;

    v_expected := p_expected[v_i];
    v_before := NULL;
    IF v_expected = ${EXPECT_ANY} THEN
      INSERT INTO ${t.streams} AS s (stream_id, stream_type, version)
        VALUES (p_stream_ids[v_i], p_stream_types[v_i], v_n)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_n
        RETURNING s.version - v_n, s.stream_type INTO v_before, v_type;
    ELSIF v_expected = 0 THEN
      INSERT INTO ${t.streams} AS s (stream_id, stream_type, version)
        VALUES (p_stream_ids[v_i], p_stream_types[v_i], v_n)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING 0, s.stream_type INTO v_before, v_type;
    ELSIF v_expected = ${EXPECT_STREAM_EXISTS} THEN
      UPDATE ${t.streams} AS s SET version = s.version + v_n
        WHERE s.stream_id = p_stream_ids[v_i]
        RETURNING s.version - v_n, s.stream_type INTO v_before, v_type;
    ELSE
      UPDATE ${t.streams} AS s SET version = s.version + v_n
        WHERE s.stream_id = p_stream_ids[v_i] AND s.version = v_expected
        RETURNING s.version - v_n, s.stream_type INTO v_before, v_type;
    END IF;

    IF v_before IS NULL THEN
      -- A resend of this very batch may have committed while this call waited for the stream row.
      ${foundQuery} INTO v_found;
      IF v_found IS NOT NULL THEN
        v_statuses[v_i] := ${APPEND_IDS_EXIST};
        v_founds[v_i] := v_found;
        CONTINUE;
      END IF;
      SELECT s.version INTO v_before FROM ${t.streams} AS s WHERE s.stream_id = p_stream_ids[v_i];
      v_statuses[v_i] := ${APPEND_CONFLICT};
      v_versions[v_i] := coalesce(v_before, 0);
      CONTINUE;
    END IF;
    v_versions[v_i] := v_before;
    v_stream_types[v_i] := v_type;
    v_written := v_written + v_n;
  END LOOP;

  IF v_written > 0 THEN
    -- Held until commit: positions are handed out in commit order.
    ${positionLockSql(t)};
    v_next := nextval(${t.positionSequenceLiteral});
    IF v_written > 1 THEN
      PERFORM setval(${t.positionSequenceLiteral}, v_next + v_written - 1);
    END IF;
    FOR v_i IN 1 .. v_count LOOP
      IF v_statuses[v_i] = ${APPEND_WRITTEN} THEN
        v_first_positions[v_i] := v_next;
        v_next := v_next + p_counts[v_i];
      END IF;
    END LOOP;
    ${insertIds}
    INSERT INTO ${t.events} (position, event_id, stream_id, stream_type, event_type, data, metadata, version,
                             schema_version, occurred_at, recorded_at)
      ${selectRows};
  END IF;

  RETURN QUERY
    SELECT v_statuses[j], v_versions[j], v_stream_types[j], v_first_positions[j], v_founds[j]
      FROM generate_series(1, v_count) AS j;
END
$strata$`;
}
