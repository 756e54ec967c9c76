/**
 * The part of a better-sqlite3 `Database` the store uses, described by shape (as Kysely does) so
 * the package's public types do not depend on `@types/better-sqlite3`. A better-sqlite3 12.x
 * `Database` satisfies it as is.
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): unknown;
  /** False once the connection is closed. */
  readonly open: boolean;
  /** True while a transaction is open on this connection. */
  readonly inTransaction: boolean;
}

/** A prepared statement, as better-sqlite3 returns it from `prepare`. */
export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as arrays instead of objects. */
  raw(toggle?: boolean): this;
  /** Integers as BigInt instead of number. */
  safeIntegers(toggle?: boolean): this;
}

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}
