import { StoreUnavailableError, StrataError, ValidationError } from '@strata/core';
import type { SqliteDatabase } from './sqlite-database.js';

/** The adapter's name in `StoreUnavailableError` and `StoreClosedError`. */
export const STORE_NAME = 'sqlite';

/** The SQLite result code of a driver error (`SQLITE_BUSY`, `SQLITE_IOERR_WRITE`...), if it is one. */
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteErrorCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Result codes for data the database refuses itself: a CHECK or NOT NULL constraint, a trigger's
 * `RAISE(ABORT, …)`, a value over SQLITE_MAX_LENGTH. The same write fails the same way every time.
 */
const REFUSED_DATA = new Set([
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_TRIGGER',
  'SQLITE_TOOBIG',
]);

/** An append's error: data the database refuses is `ValidationError`, the rest as `toStoreError`. */
export function toAppendError(error: unknown, db: SqliteDatabase | undefined): unknown {
  const code = sqliteErrorCode(error);
  if (code !== undefined && REFUSED_DATA.has(code)) {
    const message = error instanceof Error ? error.message : code;
    return new ValidationError('events', `the storage refused them: ${message}`, { cause: error });
  }
  return toStoreError(error, db);
}

/**
 * Turns a driver failure into the contract's typed error. Every SQLite result code that reaches
 * here means the database could not do the work (locked past the busy timeout, I/O error, disk
 * full, file missing or corrupt, tables missing): retrying later can succeed once the file is
 * back, so it is a `StoreUnavailableError`. Constraint races are handled before this, where the
 * statement that raced is known. Errors that are not the driver's pass through unchanged.
 */
export function toStoreError(error: unknown, db: SqliteDatabase | undefined): unknown {
  if (StrataError.isInstance(error)) return error;
  if (sqliteErrorCode(error) !== undefined) return new StoreUnavailableError(STORE_NAME, error);
  // better-sqlite3 throws a TypeError once its owner has closed the connection.
  if (db !== undefined && !db.open) return new StoreUnavailableError(STORE_NAME, error);
  return error;
}
