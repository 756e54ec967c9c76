import type { PostgresConnection } from './postgres-connection.js';
import { toStoreError } from './postgres-errors.js';
import type { PostgresClient, PostgresPoolClient } from './postgres-pool.js';

/** What `work` threw, carried past the connection's failure handling so the client is reused. */
type Outcome<T> = { value: T } | { failure: unknown };

/**
 * Runs `work` in one READ COMMITTED transaction on a connection checked out of the store's pool:
 * COMMIT when it resolves, ROLLBACK when it rejects, and its error reaches the caller unchanged
 * (a handler's own SQL error stays the driver's, so a deadlock is still recognisable as one).
 * BEGIN, COMMIT and a lost connection reject with `StoreUnavailableError`.
 */
export async function runPostgresTransaction<T>(
  connection: PostgresConnection,
  work: (client: PostgresClient) => T | Promise<T>,
): Promise<T> {
  const outcome = await connection.withClient(async (client): Promise<Outcome<T>> => {
    await query(client, 'BEGIN ISOLATION LEVEL READ COMMITTED');
    let value: T;
    try {
      value = await work(client);
    } catch (failure) {
      // A failed ROLLBACK throws here, and the connection is destroyed rather than reused.
      await query(client, 'ROLLBACK');
      return { failure };
    }
    await query(client, 'COMMIT');
    return { value };
  });
  if ('failure' in outcome) throw outcome.failure;
  return outcome.value;
}

async function query(client: PostgresPoolClient, text: string): Promise<void> {
  try {
    await client.query({ text });
  } catch (error) {
    throw toStoreError(error);
  }
}
