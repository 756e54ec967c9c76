/**
 * The parts of a node-postgres (`pg` 8.x) pool the store uses, described by shape (as Kysely does)
 * so the package's public types do not depend on `@types/pg`. A `pg.Pool` satisfies them as is.
 */
export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>;
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  end(): Promise<void>;
}

/** A connection checked out of the pool; `release(error)` destroys it instead of reusing it. */
export interface PostgresPoolClient extends PostgresClient {
  release(destroy?: boolean | Error): void;
  /** A checked-out connection that dies emits 'error'; the store listens while it holds one. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** What an `onAppend` hook gets to run its own statements inside the append's transaction. */
export interface PostgresClient {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
}

export interface PostgresQueryConfig {
  text: string;
  values?: unknown[];
  /** Prepares the statement once per connection under this name. */
  name?: string;
  rowMode?: 'array';
  /** Type parsers for this query only, so the caller's pool keeps its own. */
  types?: PostgresTypeParsers;
  /** Client-side timeout in milliseconds. */
  query_timeout?: number;
}

export interface PostgresTypeParsers {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

export interface PostgresQueryResult {
  rows: unknown[];
  rowCount: number | null;
}
