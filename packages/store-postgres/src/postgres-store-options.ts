import { ValidationError } from '@strata/core';
import type { PostgresPool } from './postgres-pool.js';

export interface PostgresStoreOptions {
  /** A connection string; the store creates its own pool and ends it on `close()`. */
  connectionString?: string;
  /** A pool the caller owns (e.g. a `pg.Pool`); the store never ends it. Give this or `connectionString`. */
  pool?: PostgresPool;
  /** Connections in the store's own pool; default 10. Ignored with `pool`. */
  poolSize?: number;
  /**
   * Milliseconds one statement may take before the call fails with `StoreUnavailableError`;
   * default 30,000, 0 for none. On the store's own pool it is also the server's `statement_timeout`.
   */
  statementTimeout?: number;
  /** Milliseconds to wait for a new connection; default 10,000. Ignored with `pool`. */
  connectionTimeout?: number;
  /** Schema of the store's tables; default `public`. Created by `migrate()` if missing. */
  schema?: string;
  /** Prefix of the store's table names; default `strata_`. Letters, digits and `_` only. */
  tablePrefix?: string;
  /** Run `migrate()` when the store opens; default true. */
  migrate?: boolean;
  /**
   * Split the events table into this many hash partitions on `stream_id` (PostgreSQL declarative
   * partitioning). Fixed when `migrate()` first creates the tables.
   */
  partitions?: number;
  /**
   * Most events written in one transaction when concurrent appends are grouped, and most stream ids
   * per `readStreams` query; default 1,000.
   */
  batchSize?: number;
  /**
   * Send a `pg_notify` on the storage's channel with every committed append (default true), so that
   * `store.appendNotifier` in any process hears of it. Off, appends skip it and notifiers over this
   * storage hear nothing (readers fall back on polling).
   */
  notifyAppends?: boolean;
  /**
   * Keep an `(event_type, position)` index, so `readAll({ types })` and realtime checkpoint advances
   * visit only events of those types. Off by default: every append then writes one index entry less
   * (measured with `EXPLAIN (ANALYZE, WAL)`: an event's insert writes 4 WAL records and 383 bytes
   * instead of 5 and 471, and its first change to a page after a checkpoint 4 full-page images
   * instead of 5), and a type-filtered read walks the position index over the positions it covers
   * instead; the projection runner moves its read position past what it scanned, so it visits each
   * event once. Turn it on when you run type-filtered reads of rare types from far back. Turning it on builds the index when the
   * store opens (once, with `CREATE INDEX CONCURRENTLY`: appends go on meanwhile, but it takes a while
   * on a large table and the open waits for it); turning it off does not drop an existing index
   * (another process may use it): drop it with
   * `DROP INDEX CONCURRENTLY "<schema>"."<tablePrefix>events_type_position"` (without `CONCURRENTLY`
   * on a partitioned table).
   */
  typeIndex?: boolean;
}

export interface ResolvedPostgresOptions {
  statementTimeout: number;
  connectionTimeout: number;
  poolSize: number;
  batchSize: number;
  partitions: number | undefined;
  migrate: boolean;
  notifyAppends: boolean;
  typeIndex: boolean;
}

export const MAX_PARTITIONS = 1024;

export function resolveOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const hasPool = options.pool !== undefined;
  const hasUrl = options.connectionString !== undefined;
  if (hasPool === hasUrl) {
    throw new ValidationError('options', 'give exactly one of `connectionString` and `pool`');
  }
  if (hasUrl && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
    throw new ValidationError('options.connectionString', 'must be a non-empty string');
  }
  const pool = options.pool as Partial<PostgresPool> | undefined;
  if (hasPool && (typeof pool?.connect !== 'function' || typeof pool.query !== 'function')) {
    throw new ValidationError('options.pool', 'must be a pg.Pool (or have its connect and query methods)');
  }
  if (options.notifyAppends !== undefined && typeof options.notifyAppends !== 'boolean') {
    throw new ValidationError('options.notifyAppends', 'must be a boolean');
  }
  if (options.typeIndex !== undefined && typeof options.typeIndex !== 'boolean') {
    throw new ValidationError('options.typeIndex', 'must be a boolean');
  }
  return {
    statementTimeout: integer(options.statementTimeout, 'options.statementTimeout', 30_000, 0),
    connectionTimeout: integer(options.connectionTimeout, 'options.connectionTimeout', 10_000, 1),
    poolSize: integer(options.poolSize, 'options.poolSize', 10, 1),
    batchSize: integer(options.batchSize, 'options.batchSize', 1_000, 1),
    partitions:
      options.partitions === undefined
        ? undefined
        : integer(options.partitions, 'options.partitions', 0, 1, MAX_PARTITIONS),
    migrate: options.migrate ?? true,
    notifyAppends: options.notifyAppends ?? true,
    typeIndex: options.typeIndex ?? false,
  };
}

function integer(
  value: number | undefined,
  path: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(path, `must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}
