import type { MysqlConnection, MysqlQueryable } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import type { ReadCommittedConnections } from './mysql-read-committed-connections.js';

/**
 * Runs `work` in one READ COMMITTED transaction (as PostgreSQL's default, so a read-model upsert
 * sees the latest rows and InnoDB takes fewer gap locks) on a connection whose session is at that
 * level: START TRANSACTION, `work`, COMMIT when it resolves, ROLLBACK when it rejects, and its error
 * reaches the caller unchanged. START, COMMIT and a lost connection reject with
 * `StoreUnavailableError`, and a connection whose state is unknown is destroyed rather than
 * returned to the pool.
 */
export async function runMysqlTransaction<T>(
  connections: ReadCommittedConnections,
  timeout: number,
  work: (connection: MysqlQueryable) => T | Promise<T>,
): Promise<T> {
  let connection: MysqlConnection;
  try {
    connection = await connections.acquire();
  } catch (error) {
    throw toStoreError(error);
  }
  const run = (sql: string) => connection.query({ sql, timeout });
  try {
    await run('START TRANSACTION');
  } catch (error) {
    connection.destroy();
    throw toStoreError(error);
  }
  let value: T;
  try {
    value = await work(connection);
  } catch (failure) {
    try {
      await run('ROLLBACK');
      connections.keep(connection);
    } catch {
      connection.destroy();
    }
    throw failure;
  }
  try {
    await run('COMMIT');
  } catch (error) {
    connection.destroy();
    throw toStoreError(error);
  }
  connections.keep(connection);
  return value;
}
