import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

/**
 * Runs work in one transaction on a connection. When the caller already has a transaction open
 * on it, the work runs inside that one (writes in a savepoint) and commits with it.
 */
export class SqliteTransactions {
  private readonly beginWrite: SqliteStatement;
  private readonly beginRead: SqliteStatement;
  private readonly commit: SqliteStatement;
  private readonly rollback: SqliteStatement;
  private readonly savepoint: SqliteStatement;
  private readonly release: SqliteStatement;
  private readonly rollbackToSavepoint: SqliteStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.beginWrite = db.prepare('BEGIN IMMEDIATE');
    this.beginRead = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT strata_write');
    this.release = db.prepare('RELEASE strata_write');
    this.rollbackToSavepoint = db.prepare('ROLLBACK TO strata_write');
  }

  /**
   * `BEGIN IMMEDIATE` takes SQLite's write lock up front, so a version check and the inserts see
   * the same state, and other writers wait (up to the busy timeout) instead of failing half-way.
   */
  write<T>(work: () => T): T {
    const nested = this.db.inTransaction;
    (nested ? this.savepoint : this.beginWrite).run();
    try {
      const result = work();
      (nested ? this.release : this.commit).run();
      return result;
    } catch (error) {
      this.abort(nested);
      throw error;
    }
  }

  /** Several statements that must see one snapshot of the database (WAL keeps it for the transaction). */
  read<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    this.beginRead.run();
    try {
      const result = work();
      this.commit.run();
      return result;
    } catch (error) {
      this.abort(false);
      throw error;
    }
  }

  private abort(nested: boolean): void {
    // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR): nothing left to undo.
    if (!this.db.inTransaction) return;
    try {
      if (nested) {
        this.rollbackToSavepoint.run();
        this.release.run();
      } else {
        this.rollback.run();
      }
    } catch {
      // The error that made us roll back is the one the caller needs to see.
    }
  }
}
