import type { PostgresConnection } from './postgres-connection.js';
import { sqlState, toStoreError } from './postgres-errors.js';
import type { PostgresClient } from './postgres-pool.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/** How long a store waits before asking again whether another process has finished the index. */
const POLL_MS = 100;

/**
 * Makes the `(event_type, position)` index exist and be valid (option `typeIndex`). When it does,
 * this is one catalog read: no DDL, no table lock. When the events table does not exist yet
 * (`migrate: false` before a migration), it does nothing; the store's `migrate()` calls it again.
 *
 * The index is built with `CREATE INDEX CONCURRENTLY`: a plain `CREATE INDEX` holds a SHARE lock on
 * the events table for the whole build, and on a large table that stops every process's appends for
 * minutes, just because one process turned an option on. The concurrent build lets appends go on; its
 * costs are handled here: it cannot run in a transaction (each statement here runs on its own), and a
 * build that fails or is cancelled leaves an INVALID index behind, which the planner ignores and
 * appends keep writing. So builders take a session advisory lock: under it, an invalid index can only
 * be a failed build (a running one would hold the lock), and it is dropped and built again. Waiters
 * poll the lock with `pg_try_advisory_lock` instead of blocking on it, because a concurrent build waits
 * for every transaction whose snapshot is older than its own, and a blocked lock call is one: the two
 * would wait for each other. A partitioned table cannot be indexed concurrently as a whole; its index
 * is made on the parent alone, then built concurrently per partition and attached, after which
 * PostgreSQL marks the parent valid. A creator that is not a store (a person, an older version) may
 * still race: a duplicate name is its index, and counts as success.
 */
export async function ensureTypeIndex(connection: PostgresConnection): Promise<void> {
  const { tables } = connection;
  try {
    await connection.withClient(async (client) => {
      for (;;) {
        const { table, index } = await catalogState(client, tables);
        if (table === undefined || index === 'valid') return;
        if (await tryLock(client, tables)) {
          try {
            await buildUnderLock(client, tables);
          } finally {
            await client.query({
              text: 'SELECT pg_advisory_unlock($1)',
              values: [tables.typeIndexLockKey.toString()],
            });
          }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

type IndexState = 'valid' | 'invalid' | 'missing';

interface CatalogState {
  /** The events table's relkind: `r` plain, `p` partitioned; `undefined` when it does not exist. */
  table: string | undefined;
  index: IndexState;
}

async function catalogState(client: PostgresClient, tables: PostgresTableNames): Promise<CatalogState> {
  const { rows } = await client.query({
    text: `SELECT (SELECT c.relkind::text FROM pg_catalog.pg_class c
                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = $2),
                  ${validity('$1', '$3')}`,
    values: [tables.schema, tables.raw.events, tables.raw.typeIndex],
    rowMode: 'array',
  });
  const [table, valid] = rows[0] as [string | null, boolean | null];
  return { table: table ?? undefined, index: toState(valid) };
}

/** SQL for a named index's `indisvalid`, NULL when there is no such index. */
function validity(schema: string, name: string): string {
  return `(SELECT i.indisvalid FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
            WHERE n.nspname = ${schema} AND c.relname = ${name})`;
}

function toState(valid: boolean | null): IndexState {
  return valid === null ? 'missing' : valid ? 'valid' : 'invalid';
}

async function tryLock(client: PostgresClient, tables: PostgresTableNames): Promise<boolean> {
  const { rows } = await client.query({
    text: 'SELECT pg_try_advisory_lock($1)',
    values: [tables.typeIndexLockKey.toString()],
    rowMode: 'array',
  });
  return (rows[0] as [boolean])[0];
}

async function buildUnderLock(client: PostgresClient, tables: PostgresTableNames): Promise<void> {
  // Read again under the lock: the previous holder may have finished since the first look.
  const { table, index } = await catalogState(client, tables);
  if (table === undefined || index === 'valid') return;
  // The build takes as long as the table is large; the store's statement_timeout is for its queries.
  const { rows } = await client.query({
    text: "SELECT current_setting('statement_timeout')",
    rowMode: 'array',
  });
  await client.query({ text: 'SET statement_timeout = 0' });
  try {
    if (table === 'p') await buildPartitioned(client, tables);
    else await buildIndex(client, index, tables.schema, tables.local('events_type_position'), tables.events);
  } finally {
    await client.query({
      text: "SELECT set_config('statement_timeout', $1, false)",
      values: [(rows[0] as [string])[0]],
    });
  }
}

/** Builds one plain index concurrently, first dropping a failed build of it. */
async function buildIndex(
  client: PostgresClient,
  state: IndexState,
  schema: string,
  name: string,
  on: string,
): Promise<void> {
  if (state === 'valid') return;
  // CREATE INDEX names the index without a schema: it goes in its table's.
  if (state === 'invalid')
    await client.query({ text: `DROP INDEX CONCURRENTLY IF EXISTS "${schema}".${name}` });
  await ignoreDuplicate(
    client.query({ text: `CREATE INDEX CONCURRENTLY ${name} ON ${on} (event_type, position)` }),
  );
}

async function buildPartitioned(client: PostgresClient, tables: PostgresTableNames): Promise<void> {
  // Only the catalog entry: instant, and invalid until every partition has its index attached.
  await ignoreDuplicate(
    client.query({
      text: `CREATE INDEX IF NOT EXISTS ${tables.local('events_type_position')} ON ONLY ${tables.events} (event_type, position)`,
    }),
  );
  const { rows } = await client.query({
    text: `SELECT p.relname::text, ${validity('$1', `p.relname || '_type_position'`)}
             FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class p ON p.oid = h.inhrelid
            WHERE h.inhparent = to_regclass($2) ORDER BY p.relname`,
    values: [tables.schema, tables.events],
    rowMode: 'array',
  });
  for (const [partition, valid] of rows as [string, boolean | null][]) {
    const name = quote(`${partition}_type_position`);
    await buildIndex(client, toState(valid), tables.schema, name, `"${tables.schema}".${quote(partition)}`);
    // Attaching an index that is attached already does nothing.
    await client.query({
      text: `ALTER INDEX ${tables.typeIndex} ATTACH PARTITION "${tables.schema}".${name}`,
    });
  }
}

/** Partition names come from the catalog, so they are quoted as any identifier would be. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Two creators of one name: the loser gets 42P07, or a unique violation on pg_class while both insert. */
async function ignoreDuplicate(query: Promise<unknown>): Promise<void> {
  try {
    await query;
  } catch (error) {
    const state = sqlState(error);
    if (state !== '42P07' && state !== '23505') throw error;
  }
}
