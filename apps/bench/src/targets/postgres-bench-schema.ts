import type pg from 'pg';
import type { SeedPlan } from '../bench-target.js';
import { FLOOR_TABLE, MINIMAL_TABLE } from './minimal-event.js';
import { POSTGRES_FLOOR_SEQUENCE } from './postgres-minimal-store.js';

/** The raw side's table, beside the store's tables in the run's schema. */
export const POSTGRES_RAW_TABLE = 'raw_events';
/** The store's tables under its default prefix. */
const STORE_EVENTS = 'strata_events';
const STORE_STREAMS = 'strata_streams';
const STORE_EVENT_IDS = 'strata_event_ids';

/**
 * The raw side's table: the store's events table with the same columns, types and indexes
 * (packages/store-postgres/src/postgres-migrations.ts, unpartitioned, at the default layout: no
 * `(event_type, position)` index since migration 8, as the store's `typeIndex` is off by default),
 * and no streams table: the raw append reads the stream's version as max(version) on the
 * (stream_id, version) index.
 */
export function postgresRawSchemaSql(schema: string): string[] {
  const events = `"${schema}".${POSTGRES_RAW_TABLE}`;
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE ${events} (
      position bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_type text NOT NULL,
      event_type text NOT NULL,
      data json NOT NULL,
      metadata json NOT NULL,
      version integer NOT NULL,
      schema_version integer NOT NULL,
      occurred_at bigint NOT NULL,
      recorded_at bigint NOT NULL,
      UNIQUE (stream_id, version)
    )`,
  ];
}

/**
 * Fills the store's tables (created by the store's own migrations), the raw table, the minimal
 * store's and the floor's tables with the same events, in SQL: `benchEvent(n)`'s JSON, byte for byte, round-robin over the streams so the
 * global log interleaves them as a real one does. Not timed.
 */
export async function seedPostgres(
  admin: pg.Pool,
  schema: string,
  plan: SeedPlan,
  partitioned = false,
): Promise<void> {
  const q = (table: string) => `"${schema}".${table}`;
  await admin.query(
    `INSERT INTO ${q(STORE_EVENTS)} (event_id, stream_id, stream_type, event_type, data, metadata, version,
       schema_version, occurred_at, recorded_at)
     SELECT gen_random_uuid()::text, s.id, 'default', 'bench.item-added',
            ('{"sku":"sku-' || (g.n % 1000) || '","quantity":' || (g.n % 7 + 1) ||
              ',"priceCents":1299,"note":"benchmark payload"}')::json,
            '{"source":"strata-bench"}'::json, v, 1, $3::bigint, $3::bigint
       FROM generate_series(1, $2::integer) AS v
      CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(id, k)
      CROSS JOIN LATERAL (SELECT (v - 1) * cardinality($1::text[]) + (s.k - 1) AS n) AS g
      ORDER BY v, s.k`,
    [plan.streamIds, plan.eventsPerStream, Date.now()],
  );
  if (partitioned) {
    // The partitioned layout keeps event ids unique in a table of their own.
    await admin.query(
      `INSERT INTO ${q(STORE_EVENT_IDS)} (event_id, stream_id, version, position)
       SELECT event_id, stream_id, version, position FROM ${q(STORE_EVENTS)}`,
    );
  }
  await admin.query(
    `INSERT INTO ${q(STORE_STREAMS)} (stream_id, stream_type, version)
     SELECT id, 'default', $2::integer FROM unnest($1::text[]) AS id`,
    [plan.streamIds, plan.eventsPerStream],
  );
  await admin.query(
    `INSERT INTO ${q(POSTGRES_RAW_TABLE)} (event_id, stream_id, stream_type, event_type, data, metadata,
       version, schema_version, occurred_at, recorded_at)
     SELECT event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version,
            occurred_at, recorded_at FROM ${q(STORE_EVENTS)} ORDER BY position`,
  );
  await admin.query(
    `INSERT INTO ${q(MINIMAL_TABLE)} (stream_id, stream_type, event_type, data, metadata, version, occurred_at)
     SELECT stream_id, stream_type, event_type, data::text, metadata::text, version, occurred_at
       FROM ${q(STORE_EVENTS)} ORDER BY position`,
  );
  await admin.query(
    `INSERT INTO ${q(FLOOR_TABLE)} (position, event_id, stream_id, stream_type, event_type, data, metadata, version,
       occurred_at, schema_version, recorded_at)
     SELECT row_number() OVER (ORDER BY position), event_id, stream_id, stream_type, event_type, data::text,
            metadata::text, version, occurred_at, schema_version, recorded_at
       FROM ${q(STORE_EVENTS)} ORDER BY position`,
  );
  await admin.query(
    `UPDATE ${q(POSTGRES_FLOOR_SEQUENCE)} SET position = (SELECT COALESCE(MAX(position), 0) FROM ${q(FLOOR_TABLE)})`,
  );
  // Fresh rows: set hint bits and statistics now, not during the first timed read.
  await admin.query(
    `VACUUM ANALYZE ${q(STORE_EVENTS)}, ${q(STORE_STREAMS)}, ${q(POSTGRES_RAW_TABLE)}, ${q(MINIMAL_TABLE)}, ${q(FLOOR_TABLE)}`,
  );
}
