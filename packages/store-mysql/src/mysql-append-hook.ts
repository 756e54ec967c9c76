import type { RecordedEvent } from '@strata/core';
import type { MysqlQueryable } from './mysql-driver.js';

/** What an append hook gets: the transaction's connection and the events it is about to commit. */
export interface MysqlAppendContext {
  /**
   * The connection of the append's transaction: statements run here commit or roll back with the
   * events. Do not start, commit or roll back transactions on it.
   */
  connection: MysqlQueryable;
  /**
   * The events of one append call, with their versions and positions: the same array the append
   * returns as `AppendResult.events`, so leave it unchanged.
   */
  events: RecordedEvent[];
}

/**
 * Runs inside the append transaction, after the events are inserted and before COMMIT (for example
 * a projection updating its read model in the same transaction). A hook that throws rolls the
 * append back, and the append rejects with the hook's error.
 */
export type MysqlAppendHook = (context: MysqlAppendContext) => void | Promise<void>;
