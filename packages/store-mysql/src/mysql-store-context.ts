import { StoreClosedError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { BoundedPool } from './mysql-bounded-pool.js';
import type { MysqlPool, MysqlValue } from './mysql-driver.js';
import { STORE_NAME, toStoreError } from './mysql-errors.js';
import { type MigrateResult, migrate } from './mysql-migrate.js';
import { ReadCommittedConnections } from './mysql-read-committed-connections.js';
import {
  type MysqlStoreOptions,
  type NormalizedMysqlStoreOptions,
  normalizeStoreOptions,
} from './mysql-store-options.js';
import { type MysqlTableLayout, readTableLayout } from './mysql-table-layout.js';
import type { MysqlTableNames } from './mysql-table-names.js';
import { ensureTypeIndex } from './mysql-type-index.js';

/**
 * What the event, snapshot and checkpoint stores of one `MysqlEventStore` share: the pool, the
 * table names, the one-time open (migrate, read the table layout) and the closed flag.
 */
export class MysqlStoreContext {
  /** The pool as created or passed in. */
  readonly pool: MysqlPool;
  /** The same pool with every wait for a connection bounded by `queryTimeoutMs`: use this one. */
  readonly db: MysqlPool;
  readonly ownsPool: boolean;
  /** The connections checkpoint transactions (`runInTransaction`) run on, READ COMMITTED. */
  readonly readCommitted: ReadCommittedConnections;
  readonly tables: MysqlTableNames;
  readonly options: NormalizedMysqlStoreOptions;
  private opening: Promise<MysqlTableLayout> | undefined;
  private opened: MysqlTableLayout | undefined;
  private closed = false;

  constructor(options: MysqlStoreOptions) {
    this.options = normalizeStoreOptions(options);
    this.tables = this.options.tables;
    const { connection } = this.options;
    if (typeof connection === 'string') {
      this.pool = createPool({
        uri: connection,
        connectionLimit: this.options.poolSize,
        maxIdle: this.options.poolSize,
        // Positions are BIGINT UNSIGNED: numbers while exact, strings beyond 2^53.
        supportBigNumbers: true,
        enableKeepAlive: true,
        charset: 'utf8mb4_unicode_ci',
        // No stack capture on every statement: it costs more than a short query's own decoding,
        // and every driver error reaches callers wrapped (as `cause`) in a typed error anyway.
        trace: false,
      });
      this.ownsPool = true;
    } else {
      // A callback pool (mysql2's `createPool`) offers its promise face through `promise()`.
      const callbackPool = connection as unknown as { promise?: () => MysqlPool };
      this.pool = typeof callbackPool.promise === 'function' ? callbackPool.promise() : connection;
      this.ownsPool = false;
    }
    this.db = new BoundedPool(this.pool, this.options.queryTimeoutMs);
    this.readCommitted = new ReadCommittedConnections(this.db, this.options.queryTimeoutMs);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The layout read at open; undefined until `ready()` has resolved once. */
  get layout(): MysqlTableLayout | undefined {
    return this.opened;
  }

  /** Opens once (migrating when asked to); a failed open is tried again on the next call. */
  async ready(): Promise<MysqlTableLayout> {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw toStoreError(error);
    });
    return this.opening;
  }

  async migrate(): Promise<MigrateResult> {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
    const { tables, partitions, typeIndex } = this.options;
    return migrate(this.db, {
      tablePrefix: tables.prefix,
      typeIndex,
      ...(partitions === undefined ? {} : { partitions }),
    });
  }

  /** One statement on any pooled connection, rows as arrays; driver errors become typed ones. */
  async select(sql: string, values: MysqlValue[]): Promise<unknown[][]> {
    await this.ready();
    try {
      const [rows] = await this.db.execute(
        { sql, rowsAsArray: true, timeout: this.options.queryTimeoutMs },
        values,
      );
      return rows as unknown[][];
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** One INSERT/UPDATE/DELETE on any pooled connection; resolves to the affected row count. */
  async write(sql: string, values: MysqlValue[]): Promise<number> {
    await this.ready();
    try {
      const [header] = await this.db.execute({ sql, timeout: this.options.queryTimeoutMs }, values);
      return (header as { affectedRows: number }).affectedRows;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Marks the store closed; ends the pool only if the store created it. */
  async close(beforeEnd: () => Promise<void>): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Kept connections go back at their own isolation level, before a caller's pool is used again.
    await this.readCommitted.close();
    await beforeEnd();
    if (this.ownsPool) await this.pool.end().catch(() => undefined);
  }

  private async open(): Promise<MysqlTableLayout> {
    if (this.options.migrate) await this.migrate();
    // Read first: over missing tables it fails with the message that says to migrate.
    let layout = await readTableLayout(this.db, this.tables, this.options.partitions);
    // `typeIndex: true` is an explicit request, so it is honoured with `migrate: false` too.
    if (this.options.typeIndex && !layout.typeIndex) {
      await ensureTypeIndex(this.db, this.tables);
      layout = { ...layout, typeIndex: true };
    }
    this.opened = layout;
    return layout;
  }
}
