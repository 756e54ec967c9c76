import type { MysqlConnection, MysqlPool, MysqlQueryable } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';

/**
 * Runs `work` in one READ COMMITTED transaction on a connection of the pool (as PostgreSQL's
 * default, so a read-model upsert sees the latest rows and InnoDB takes fewer gap locks): COMMIT
 * when it resolves, ROLLBACK when it rejects, and its error reaches the caller unchanged. BEGIN,
 * COMMIT and a lost connection reject with `StoreUnavailableError`, and a connection whose state is
 * unknown is destroyed rather than returned to the pool.
 */
export async function runMysqlTransaction<T>(
  pool: MysqlPool,
  timeout: number,
  work: (connection: MysqlQueryable) => T | Promise<T>,
): Promise<T> {
  let connection: MysqlConnection;
  try {
    connection = await pool.getConnection();
  } catch (error) {
    throw toStoreError(error);
  }
  const run = (sql: string) => connection.query({ sql, timeout });
  try {
    await run('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
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
      connection.release();
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
  connection.release();
  return value;
}
