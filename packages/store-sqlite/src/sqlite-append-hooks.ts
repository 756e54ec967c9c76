import type { RecordedEvent } from '@strata/core';
import { ValidationError } from '@strata/core';
import type { SqliteDatabase } from './sqlite-database.js';

export interface SqliteAppendContext<DB extends SqliteDatabase = SqliteDatabase> {
  /** The store's connection, inside the append's transaction: whatever the hook writes commits or rolls back with the events. */
  db: DB;
  /**
   * The events just inserted, exactly as readers will see them once the transaction commits: the
   * same array the append returns as `AppendResult.events`, so leave it unchanged.
   */
  events: readonly RecordedEvent[];
}

/**
 * Runs inside the append's transaction, after the inserts. It must be synchronous: SQLite holds
 * its write lock until the hook returns, and better-sqlite3 cannot keep a transaction open across
 * an `await`. Throwing rolls the whole append back and the error reaches the `append` caller.
 */
export type SqliteAppendHook<DB extends SqliteDatabase = SqliteDatabase> = (
  context: SqliteAppendContext<DB>,
) => void;

/** Wraps what a hook threw, so the store re-throws it as is instead of mapping it as a driver error. */
export class AppendHookFailure {
  constructor(readonly error: unknown) {}
}

/** The hooks of one store. Registering or removing one during an append affects the next append. */
export class SqliteAppendHooks<DB extends SqliteDatabase> {
  private hooks: ReadonlyArray<{ hook: SqliteAppendHook<DB> }> = [];

  get size(): number {
    return this.hooks.length;
  }

  add(hook: SqliteAppendHook<DB>): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    const entry = { hook };
    this.hooks = [...this.hooks, entry];
    return () => {
      this.hooks = this.hooks.filter((other) => other !== entry);
    };
  }

  run(db: DB, events: readonly RecordedEvent[]): void {
    for (const { hook } of this.hooks) {
      let result: unknown;
      try {
        result = hook({ db, events });
      } catch (error) {
        throw new AppendHookFailure(error);
      }
      if (isPromiseLike(result)) {
        // Whatever the promise does later is outside the transaction; keep its rejection from crashing the process.
        result.then(undefined, () => {});
        throw new AppendHookFailure(
          new TypeError(
            'An onAppend hook returned a Promise. SQLite hooks must be synchronous: they run inside the ' +
              "append's transaction, which cannot stay open across an await. The append was rolled back.",
          ),
        );
      }
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
