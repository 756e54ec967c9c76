import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

/** Values per query for `IN (...)` lists: far below SQLite's limit on bound parameters. */
export const IN_LIST_CHUNK = 512;

/**
 * Statements with an `IN (?, ?, ...)` list of bound parameters. Lists are padded to the next
 * power of two (with copies of their first value, which `IN` ignores), so a handful of prepared
 * statements serve every size and values are never spliced into SQL.
 */
export class SqliteInListStatements {
  private readonly bySize = new Map<number, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly sql: (placeholders: string) => string,
    private readonly configure: (statement: SqliteStatement) => SqliteStatement,
  ) {}

  /** Runs the statement with `values` (1 to IN_LIST_CHUNK of them) in the list, between `before` and `after`. */
  all(values: readonly unknown[], before: readonly unknown[], after: readonly unknown[]): unknown[] {
    let size = 1;
    while (size < values.length) size *= 2;
    let statement = this.bySize.get(size);
    if (statement === undefined) {
      statement = this.configure(this.db.prepare(this.sql(new Array(size).fill('?').join(', '))));
      this.bySize.set(size, statement);
    }
    const params = [...before, ...values];
    for (let i = values.length; i < size; i++) params.push(values[0]);
    params.push(...after);
    return statement.all(params);
  }
}

/** Splits `values` into chunks of at most IN_LIST_CHUNK. */
export function chunks<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += IN_LIST_CHUNK) result.push(values.slice(i, i + IN_LIST_CHUNK));
  return result;
}
