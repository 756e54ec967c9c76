import type { RecordedEvent } from '@strata/core';
import type { PostgresClient } from './postgres-pool.js';

/** What an `onAppend` hook sees: the append's transaction and the events it is writing. */
export interface PostgresAppendContext {
  /** The connection of the append's transaction: statements run here commit or roll back with it. */
  client: PostgresClient;
  /**
   * The events of one append, with their final versions and positions: the same array the append
   * returns as `AppendResult.events`, so leave it unchanged.
   */
  events: readonly RecordedEvent[];
}

/**
 * Runs inside the append's transaction after the events are written and before the commit; a
 * throwing (or rejecting) hook rolls the append back and the append rejects with the hook's error.
 */
export type PostgresAppendHook = (context: PostgresAppendContext) => void | Promise<void>;
