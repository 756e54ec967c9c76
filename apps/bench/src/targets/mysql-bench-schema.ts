import { randomUUID } from 'node:crypto';
import { createMysqlEventStore } from '@strata/store-mysql';
import type { Pool } from 'mysql2/promise';
import type { SeedPlan } from '../bench-target.js';
import { benchEvent } from '../workloads/bench-events.js';
import {
  mysqlFloorSchemaSql,
  mysqlFloorSequenceTable,
  mysqlFloorTable,
  mysqlMinimalSchemaSql,
  mysqlMinimalTable,
} from './mysql-minimal-store.js';

/** The raw side's table, beside the store's tables under the run's prefix. */
export const MYSQL_RAW_TABLE = 'raw_events';

/** Rows per multi-row INSERT when seeding (10 values each: well under the 65,535 placeholders). */
const SEED_CHUNK = 1_000;

/**
 * Creates the store's tables with the store's own migrations, then the raw side's table as a copy
 * of the store's events table (`CREATE TABLE ... LIKE`: same columns, types, collations and
 * indexes on whichever server this is) whose position is an AUTO_INCREMENT, as a hand-written
 * data layer would have it.
 */
export async function createMysqlTables(
  url: string,
  admin: Pool,
  prefix: string,
  partitions?: number,
): Promise<void> {
  const store = createMysqlEventStore({ connection: url, tablePrefix: prefix, poolSize: 1, partitions });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  const raw = `\`${prefix}${MYSQL_RAW_TABLE}\``;
  await admin.query(`CREATE TABLE ${raw} LIKE \`${prefix}events\``);
  // The baseline is a hand-written data layer's one plain table, whatever the store's layout:
  // keyed by position alone, event ids unique in it.
  if (partitions !== undefined) {
    await admin.query(`ALTER TABLE ${raw} REMOVE PARTITIONING`);
    await admin.query(
      `ALTER TABLE ${raw} DROP PRIMARY KEY, ADD PRIMARY KEY (position), ADD UNIQUE KEY event_id (event_id)`,
    );
  }
  await admin.query(`ALTER TABLE ${raw} MODIFY position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT`);
  await admin.query(mysqlMinimalSchemaSql(prefix));
  for (const sql of mysqlFloorSchemaSql(prefix)) await admin.query(sql);
}

/**
 * Fills the store's tables, the raw table and the minimal store's and the floor's tables with the same events (`benchEvent(n)`, round-robin
 * over the streams so the global log interleaves them), in multi-row INSERTs. Not timed.
 */
export async function seedMysql(
  admin: Pool,
  prefix: string,
  plan: SeedPlan,
  partitions?: number,
): Promise<void> {
  const events = `\`${prefix}events\``;
  const now = Date.now();
  const total = plan.streamIds.length * plan.eventsPerStream;
  for (let first = 0; first < total; first += SEED_CHUNK) {
    const rows: unknown[][] = [];
    for (let n = first; n < Math.min(total, first + SEED_CHUNK); n++) {
      const event = benchEvent(n);
      const version = Math.floor(n / plan.streamIds.length) + 1;
      const streamId = plan.streamIds[n % plan.streamIds.length];
      rows.push([
        n + 1,
        streamId,
        version,
        randomUUID(),
        'default',
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        1,
        now,
        now,
      ]);
    }
    await admin.query(
      `INSERT INTO ${events} (position, stream_id, version, event_id, stream_type, event_type, data, metadata,
         schema_version, occurred_at, recorded_at) VALUES ?`,
      [rows],
    );
  }
  if (partitions !== undefined) {
    // The partitioned layout keeps event ids unique in a table of their own.
    await admin.query(
      `INSERT INTO \`${prefix}event_ids\` (event_id, stream_id, version) SELECT event_id, stream_id, version FROM ${events}`,
    );
  }
  const streams = plan.streamIds.map((id) => [id, 'default', plan.eventsPerStream]);
  await admin.query(`INSERT INTO \`${prefix}streams\` (stream_id, stream_type, version) VALUES ?`, [streams]);
  await admin.query(`UPDATE \`${prefix}sequence\` SET position = ? WHERE id = 1`, [total]);
  await admin.query(`INSERT INTO \`${prefix}${MYSQL_RAW_TABLE}\` SELECT * FROM ${events} ORDER BY position`);
  await admin.query(
    `INSERT INTO ${mysqlMinimalTable(prefix)} (stream_id, stream_type, event_type, data, metadata, version, occurred_at)
     SELECT stream_id, stream_type, event_type, data, metadata, version, occurred_at FROM ${events} ORDER BY position`,
  );
  await admin.query(
    `INSERT INTO ${mysqlFloorTable(prefix)} (event_id, stream_id, stream_type, event_type, data, metadata, version,
       occurred_at, schema_version, recorded_at)
     SELECT event_id, stream_id, stream_type, event_type, data, metadata, version, occurred_at, schema_version,
            recorded_at FROM ${events} ORDER BY position`,
  );
  await admin.query(
    `UPDATE ${mysqlFloorSequenceTable(prefix)} SET position = (SELECT COALESCE(MAX(position), 0) FROM ${mysqlFloorTable(prefix)})`,
  );
  await admin.query(
    `ANALYZE TABLE ${events}, \`${prefix}streams\`, \`${prefix}${MYSQL_RAW_TABLE}\`, ${mysqlMinimalTable(prefix)}, ${mysqlFloorTable(prefix)}`,
  );
}

/**
 * Drops every table and stored routine (the store's `append_one` procedure) of the current database
 * whose name starts with `prefix`, and nothing else.
 */
export async function dropMysqlTables(admin: Pool, prefix: string): Promise<void> {
  const [rows] = await admin.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = DATABASE() AND LEFT(table_name, CHAR_LENGTH(?)) = ?`,
    [prefix, prefix],
  );
  const names = (rows as { name: string }[]).map((row) => `\`${row.name}\``);
  if (names.length > 0) await admin.query(`DROP TABLE IF EXISTS ${names.join(', ')}`);
  const [routines] = await admin.query(
    `SELECT routine_name AS name FROM information_schema.routines
      WHERE routine_schema = DATABASE() AND routine_type = 'PROCEDURE' AND LEFT(routine_name, CHAR_LENGTH(?)) = ?`,
    [prefix, prefix],
  );
  for (const { name } of routines as { name: string }[])
    await admin.query(`DROP PROCEDURE IF EXISTS \`${name}\``);
}
