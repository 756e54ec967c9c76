import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite-database.js';
import { STORE_NAME, toStoreError } from './sqlite-errors.js';
import { migrate } from './sqlite-migrate.js';
import {
  type NormalizedSqliteStoreOptions,
  normalizeStoreOptions,
  type SqliteStoreOptions,
} from './sqlite-store-options.js';
import type { SqliteTableNames } from './sqlite-table-names.js';
import { ensureTypeIndex, hasTypeIndex } from './sqlite-type-index.js';

/**
 * The database behind an event store and its snapshot and checkpoint stores. It opens,
 * configures and migrates lazily, on the first call: a file that is locked or missing at start-up
 * fails that call with `StoreUnavailableError`, and the next call tries again.
 */
export class SqliteConnection<DB extends SqliteDatabase> {
  readonly tables: SqliteTableNames;
  private readonly options: NormalizedSqliteStoreOptions<DB>;
  private readonly ownsDatabase: boolean;
  private db: DB | undefined;
  private ready: DB | undefined;
  private closed = false;
  private indexed = false;

  constructor(options: SqliteStoreOptions<DB>) {
    this.options = normalizeStoreOptions(options);
    this.tables = this.options.tables;
    this.ownsDatabase = typeof this.options.database === 'string';
    if (typeof this.options.database !== 'string') this.db = this.options.database;
  }

  /** The configured, migrated database. Throws `StoreClosedError` or `StoreUnavailableError`. */
  database(): DB {
    if (this.ready !== undefined) return this.ready;
    if (this.closed) throw new StoreClosedError(STORE_NAME);
    try {
      this.ready = this.initialize();
      return this.ready;
    } catch (error) {
      throw toStoreError(error, this.db);
    }
  }

  /**
   * Whether the `(event_type, position)` index existed when the database got ready: type-filtered
   * statements are shaped for it (one index step per type) or for a scan (one pass over positions).
   */
  get typeIndexed(): boolean {
    return this.indexed;
  }

  /** The database if it has been opened (ready or not), for error mapping. */
  get handle(): DB | undefined {
    return this.db;
  }

  /** Closes the database if this connection opened it; a caller's database stays open. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ready = undefined;
    if (this.ownsDatabase && this.db?.open) this.db.close();
  }

  private initialize(): DB {
    const { database, busyTimeoutMs, synchronous, tables } = this.options;
    if (this.db === undefined) this.db = openDatabase(database as string, busyTimeoutMs) as DB;
    const db = this.db;
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    try {
      // WAL: readers never block the writer and the writer never blocks readers.
      db.prepare('PRAGMA journal_mode = WAL').get();
    } catch (error) {
      // A caller's connection may sit in a transaction or be read-only: it keeps its journal mode.
      if (this.ownsDatabase) throw error;
    }
    db.exec(`PRAGMA synchronous = ${synchronous}`);
    if (this.options.migrate) migrate(db, { tablePrefix: tables.prefix });
    if (this.options.typeIndex) ensureTypeIndex(db, tables);
    this.indexed = this.options.typeIndex || hasTypeIndex(db, tables);
    return db;
  }
}

function openDatabase(path: string, busyTimeoutMs: number): SqliteDatabase {
  try {
    return new BetterSqlite3(path, { timeout: busyTimeoutMs });
  } catch (error) {
    // Missing directory, no permission, not a database: all "the file is not usable now".
    throw new StoreUnavailableError(STORE_NAME, error);
  }
}
