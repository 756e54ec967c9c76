/**
 * The few things the store needs from a mysql2 promise pool, described by shape (as Kysely does)
 * so that mysql2 stays a peer dependency and a caller can hand in the pool they already have.
 * `mysql2/promise`'s `createPool()` result satisfies it.
 */

/** What the store binds: never anything else, so nothing is ever spliced into SQL text. */
export type MysqlValue = string | number | null;

export interface MysqlStatement {
  sql: string;
  /** Rows as arrays instead of objects: cheaper to build and to decode. */
  rowsAsArray?: boolean;
  /** Client-side timeout in milliseconds. */
  timeout?: number;
}

/** What `INSERT`/`UPDATE` resolve to. */
export interface MysqlResultHeader {
  affectedRows: number;
  /** The value of `LAST_INSERT_ID(expr)` when the statement set it. */
  insertId: number | string;
}

export interface MysqlQueryable {
  /** A server-side prepared statement (cached per connection by mysql2). */
  execute(statement: MysqlStatement, values?: MysqlValue[]): Promise<[unknown, unknown]>;
  /** A text-protocol statement; the store uses it only for constant SQL without values. */
  query(statement: MysqlStatement, values?: MysqlValue[]): Promise<[unknown, unknown]>;
}

export interface MysqlConnection extends MysqlQueryable {
  /** The server's id for this connection (what `KILL` takes). */
  readonly threadId: number | null;
  release(): void;
  destroy(): void;
}

export interface MysqlPool extends MysqlQueryable {
  getConnection(): Promise<MysqlConnection>;
  end(): Promise<void>;
}
