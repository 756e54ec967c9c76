import { ValidationError } from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { sqlState, toStoreError } from './postgres-errors.js';
import { POSTGRES_MIGRATIONS, type PostgresLayout } from './postgres-migrations.js';
import type { PostgresClient } from './postgres-pool.js';
import type { PostgresTableNames } from './postgres-table-names.js';

export interface MigrateResult {
  /** The versions this call applied; empty when the schema was already current. */
  applied: number[];
}

const LATEST_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Creates or upgrades the store's tables. Safe to run from several processes at once: the work
 * happens under a session advisory lock keyed by schema and prefix, each version is applied in its
 * own transaction, and a process that finds every version recorded does nothing. When the tables
 * exist already, a different `partitions` setting is refused rather than silently ignored.
 */
export async function migrate(
  connection: PostgresConnection,
  layout: PostgresLayout,
): Promise<MigrateResult> {
  const { tables } = connection;
  return connection.withClient(async (client) => {
    try {
      // A plain read first: when the schema is current, opening a store takes no lock.
      if ((await appliedVersions(client, tables)).has(LATEST_VERSION)) {
        await assertLayout(client, tables, layout);
        return { applied: [] };
      }
      await client.query({
        text: 'SELECT pg_advisory_lock($1)',
        values: [tables.migrationLockKey.toString()],
      });
      try {
        return await applyPending(client, tables, layout);
      } finally {
        await client.query({
          text: 'SELECT pg_advisory_unlock($1)',
          values: [tables.migrationLockKey.toString()],
        });
      }
    } catch (error) {
      throw toStoreError(error);
    }
  });
}

async function applyPending(
  client: PostgresClient,
  tables: PostgresTableNames,
  layout: PostgresLayout,
): Promise<MigrateResult> {
  const schema = await client.query({
    text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1',
    values: [tables.schema],
  });
  if (schema.rows.length === 0) {
    // Stores with other prefixes may create the same schema at this moment (their lock is another).
    await client.query({ text: `CREATE SCHEMA IF NOT EXISTS "${tables.schema}"` }).catch((error: unknown) => {
      if (sqlState(error) !== '23505' && sqlState(error) !== '42P06') throw error;
    });
  }
  await client.query({
    text: `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
      version integer NOT NULL PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  });
  // Read again under the lock: another process may have migrated since the first look.
  const done = await appliedVersions(client, tables);
  await assertLayout(client, tables, layout);
  const applied: number[] = [];
  for (const migration of POSTGRES_MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await client.query({ text: 'BEGIN' });
    try {
      for (const text of migration.statements(tables, layout)) await client.query({ text });
      await client.query({
        text: `INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`,
        values: [migration.version, migration.name],
      });
      await client.query({ text: 'COMMIT' });
    } catch (error) {
      await client.query({ text: 'ROLLBACK' }).catch(() => {});
      throw error;
    }
    applied.push(migration.version);
  }
  return { applied };
}

async function appliedVersions(client: PostgresClient, tables: PostgresTableNames): Promise<Set<number>> {
  const exists = await client.query({
    text: `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2`,
    values: [tables.schema, tables.raw.migrations],
  });
  if (exists.rows.length === 0) return new Set();
  const rows = await client.query({ text: `SELECT version FROM ${tables.migrations}`, rowMode: 'array' });
  return new Set((rows.rows as [number][]).map((row) => Number(row[0])));
}

/** Refuses a `partitions` option that differs from how the existing events table is laid out. */
async function assertLayout(
  client: PostgresClient,
  tables: PostgresTableNames,
  layout: PostgresLayout,
): Promise<void> {
  if (layout.partitions === undefined) return;
  const found = await client.query({
    text: `SELECT c.relkind::text, (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = c.oid)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2`,
    values: [tables.schema, tables.raw.events],
    rowMode: 'array',
  });
  const row = found.rows[0] as [string, number] | undefined;
  if (row === undefined) return;
  const existing = row[0] === 'p' ? row[1] : undefined;
  if (existing !== layout.partitions) {
    throw new ValidationError(
      'options.partitions',
      `the events table ${tables.events} exists with ${existing === undefined ? 'no partitioning' : `${existing} partitions`}, ` +
        `not ${layout.partitions}; repartitioning an existing store is not supported`,
    );
  }
}
