import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresStoreOptions,
} from '../../src/index.js';

/** The server the tests use; `STRATA_PG_URL` overrides the machine's default. */
export const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const reachable = await probe();

/**
 * `describe` for tests that need the server. Under `CI` they always run (and fail when the server
 * is down); elsewhere an unreachable server skips them visibly, naming the URL tried.
 */
export function describePostgres(name: string, body: () => void): void {
  if (reachable || process.env.CI) describe(name, body);
  else describe.skip(`${name} (PostgreSQL unreachable at ${PG_URL}: start it or set STRATA_PG_URL)`, body);
}

/** A pool for the test's own raw statements (inspecting tables, holding transactions, killing backends). */
export function adminPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  pool.on('error', () => {});
  return pool;
}

/** A schema name no other run uses; the test drops it (and only it) afterwards. */
export function randomSchema(): string {
  return `strata_t_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Moves the position sequence of the store in `schema`: its next append takes `lastPosition + 1`. */
export async function seedSequence(admin: pg.Pool, schema: string, lastPosition: bigint): Promise<void> {
  await admin.query('SELECT setval($1, $2::bigint)', [
    `"${schema}"."strata_position_seq"`,
    lastPosition.toString(),
  ]);
}

/** A store on the test server with a small pool; extra options override. */
export function openStore(
  schema: string,
  options: Partial<PostgresStoreOptions> = {},
): Promise<PostgresEventStore> {
  return createPostgresEventStore({ connectionString: PG_URL, schema, poolSize: 4, ...options });
}

export interface SchemaStore {
  readonly schema: string;
  /** Available from `beforeAll` on. */
  readonly admin: pg.Pool;
  readonly store: PostgresEventStore;
}

/**
 * For one `describe`: a store and an admin pool on a schema of their own, opened before its tests
 * and closed (the schema dropped) after them. Hooks the caller registers later run after the opening.
 */
export function storeInFreshSchema(options: Partial<PostgresStoreOptions> = {}): SchemaStore {
  const schema = randomSchema();
  let admin: pg.Pool | undefined;
  let store: PostgresEventStore | undefined;
  beforeAll(async () => {
    admin = adminPool();
    store = await openStore(schema, options);
  });
  afterAll(async () => {
    await store?.close();
    if (admin === undefined) return;
    await dropSchema(admin, schema);
    await admin.end();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('storeInFreshSchema: used before its beforeAll ran');
    return value;
  };
  return {
    schema,
    get admin() {
      return opened(admin);
    },
    get store() {
      return opened(store);
    },
  };
}

/**
 * A raw transaction that has inserted one event into `schema` with plain SQL, not through the
 * store (its position taken from the sequence), and is held open: the caller commits or rolls back
 * and releases it. With `partitions`, the id goes into the id table too, as the store writes it.
 */
export async function insertEventHeldOpen(
  admin: pg.Pool,
  schema: string,
  streamId: string,
  options: { partitions?: number; data?: string } = {},
): Promise<{ raw: pg.PoolClient; position: bigint }> {
  const raw = await admin.connect();
  await raw.query('BEGIN');
  const { rows } = await raw.query(
    `INSERT INTO "${schema}".strata_events
       (event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)
     VALUES ($1, $2, 'raw', 'raw.inserted', $3, '{}', 1, 1, 0, 0)
     RETURNING position`,
    [randomUUID(), streamId, options.data ?? '{}'],
  );
  if (options.partitions !== undefined) {
    await raw.query(
      `INSERT INTO "${schema}".strata_event_ids (event_id, stream_id, version, position)
       SELECT event_id, stream_id, version, position FROM "${schema}".strata_events WHERE stream_id = $1`,
      [streamId],
    );
  }
  return { raw, position: BigInt(rows[0].position) };
}
