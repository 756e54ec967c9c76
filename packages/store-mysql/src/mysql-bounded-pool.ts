import { StoreUnavailableError } from '@strata/core';
import type { MysqlConnection, MysqlPool, MysqlStatement, MysqlValue } from './mysql-driver.js';
import { isClientTimeout, STORE_NAME } from './mysql-errors.js';

/**
 * The pool with every wait bounded. mysql2's pool has no acquire timeout: a call waiting for a
 * connection (all of them busy, or a connect that hangs) waits for ever, and a statement's
 * timeout only starts once it has one. Here the wait gives up after `timeoutMs` with
 * `StoreUnavailableError`, and a connection that arrives after its caller gave up goes back to
 * the pool instead of leaking. `execute` and `query` take their connection the same way.
 */
export class BoundedPool implements MysqlPool {
  constructor(
    private readonly inner: MysqlPool,
    private readonly timeoutMs: number,
  ) {}

  getConnection(): Promise<MysqlConnection> {
    return new Promise<MysqlConnection>((resolve, reject) => {
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        reject(
          new StoreUnavailableError(
            STORE_NAME,
            new Error(
              `no pooled connection became free within ${this.timeoutMs} ms (queryTimeoutMs): ` +
                'raise poolSize, or find what holds the connections (long transactions, a caller sharing the pool)',
            ),
          ),
        );
      }, this.timeoutMs);
      this.inner.getConnection().then(
        (connection) => {
          if (gaveUp) connection.release();
          else {
            clearTimeout(timer);
            resolve(connection);
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!gaveUp) reject(error);
        },
      );
    });
  }

  execute(statement: MysqlStatement, values?: MysqlValue[]): Promise<[unknown, unknown]> {
    return this.withConnection((connection) => connection.execute(statement, values));
  }

  query(statement: MysqlStatement, values?: MysqlValue[]): Promise<[unknown, unknown]> {
    return this.withConnection((connection) => connection.query(statement, values));
  }

  end(): Promise<void> {
    return this.inner.end();
  }

  private async withConnection<T>(work: (connection: MysqlConnection) => Promise<T>): Promise<T> {
    const connection = await this.getConnection();
    try {
      const result = await work(connection);
      connection.release();
      return result;
    } catch (error) {
      // After a client-side timeout or a fatal error the connection's state is unknown.
      const fatal = (error as { fatal?: unknown } | null)?.fatal === true;
      if (fatal || isClientTimeout(error)) connection.destroy();
      else connection.release();
      throw error;
    }
  }
}
