import { StoreClosedError } from '@strata/core';
import { STORE_NAME, toStoreError } from './postgres-errors.js';
import type {
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryConfig,
  PostgresQueryResult,
} from './postgres-pool.js';
import type { PostgresStoreOptions, ResolvedPostgresOptions } from './postgres-store-options.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/** Grace on top of the server's statement_timeout, so the server's cleaner error usually wins. */
const CLIENT_TIMEOUT_GRACE_MS = 2_000;

/**
 * The pool and tables one store (and its snapshot and checkpoint stores) works on: every query goes
 * through here, so driver failures always surface as the contract's typed errors and nothing runs
 * after `close()`.
 */
export class PostgresConnection {
  private closed = false;

  private constructor(
    readonly pool: PostgresPool,
    private readonly ownsPool: boolean,
    readonly tables: PostgresTableNames,
    private readonly queryTimeout: number | undefined,
  ) {}

  static async open(
    options: PostgresStoreOptions,
    resolved: ResolvedPostgresOptions,
    tables: PostgresTableNames,
  ): Promise<PostgresConnection> {
    const timeout = resolved.statementTimeout === 0 ? undefined : resolved.statementTimeout;
    if (options.pool !== undefined) {
      return new PostgresConnection(options.pool, false, tables, timeout);
    }
    const pool = await createPool(options.connectionString ?? '', resolved);
    return new PostgresConnection(
      pool,
      true,
      tables,
      timeout === undefined ? undefined : timeout + CLIENT_TIMEOUT_GRACE_MS,
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
  }

  /** Runs one statement on any pooled connection; driver failures become typed errors. */
  async query(config: PostgresQueryConfig): Promise<PostgresQueryResult> {
    try {
      return await this.queryUnmapped(config);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Like `query`, but hands back the driver's own error, for callers that handle races by SQLSTATE. */
  async queryUnmapped(config: PostgresQueryConfig): Promise<PostgresQueryResult> {
    this.assertOpen();
    // On the store's own pool the server enforces statement_timeout, and pg's client-side timer
    // measured as costly as the query itself on 1,000-row reads; a caller's pool may have no
    // server-side limit, so there the client timer stays.
    return this.pool.query(this.ownsPool ? config : this.withTimeout(config));
  }

  /**
   * Runs `work` on one checked-out connection. A connection that failed is destroyed rather than
   * returned to the pool, where it would fail the next caller too.
   */
  async withClient<T>(work: (client: PostgresPoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
    let client: PostgresPoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
    // Without a listener, a connection killed while checked out would crash the process; the
    // failure reaches the caller through the query that runs on it instead.
    client.on?.('error', ignore);
    try {
      const result = await work(client);
      client.removeListener?.('error', ignore);
      client.release();
      return result;
    } catch (error) {
      client.removeListener?.('error', ignore);
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** Adds the client-side timer; appends always get it, so an append never waits unbounded. */
  withTimeout(config: PostgresQueryConfig): PostgresQueryConfig {
    return this.queryTimeout === undefined ? config : { ...config, query_timeout: this.queryTimeout };
  }

  /** Stops new work; ends the pool only if the store created it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }
}

function ignore(): void {}

async function createPool(connectionString: string, options: ResolvedPostgresOptions): Promise<PostgresPool> {
  const pg = await import('pg');
  const Pool = pg.default?.Pool ?? pg.Pool;
  const pool = new Pool({
    connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectionTimeout,
    // Names the store's sessions in pg_stat_activity.
    application_name: 'strata-store-postgres',
    // Without a client timer on reads, keepalive is what notices a peer that vanished silently.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options.statementTimeout === 0 ? {} : { statement_timeout: options.statementTimeout }),
  });
  // An idle connection that the server drops emits 'error' on the pool; without a listener that
  // would crash the process. The pool discards the connection, and the next query opens a new one.
  pool.on('error', ignore);
  return pool;
}
