import type { MysqlConnection } from './mysql-driver.js';
import { LingeringConnections } from './mysql-lingering-connections.js';

/** The levels `SHOW VARIABLES` reports, as `SET SESSION TRANSACTION ISOLATION LEVEL` takes them. */
const LEVELS: Readonly<Record<string, string>> = {
  'READ-UNCOMMITTED': 'READ UNCOMMITTED',
  'READ-COMMITTED': 'READ COMMITTED',
  'REPEATABLE-READ': 'REPEATABLE READ',
  SERIALIZABLE: 'SERIALIZABLE',
};

/**
 * The connections `runInTransaction` runs on, READ COMMITTED for the whole session, so each
 * transaction starts with START TRANSACTION alone: one round trip where a level set per
 * transaction takes two (SET TRANSACTION, then START TRANSACTION; with autocommit off instead,
 * MariaDB 10.11 was seen to run the next transaction after a COMMIT at the session's level despite
 * a one-shot SET TRANSACTION). Only these connections change level: the store's
 * appends on the same pool keep the server's default (REPEATABLE READ), and so does a caller's own
 * use of a pool they passed in. A connection's own level is read when it is taken from the pool
 * and put back before it returns there.
 */
export class ReadCommittedConnections extends LingeringConnections {
  /** The level to put back, for connections whose session level was changed here. */
  private readonly levels = new WeakMap<MysqlConnection, string>();

  protected async prepare(connection: MysqlConnection): Promise<void> {
    const level = await this.sessionLevel(connection);
    if (level === 'READ COMMITTED') return;
    await this.setLevel(connection, 'READ COMMITTED');
    this.levels.set(connection, level);
  }

  protected async restore(connection: MysqlConnection): Promise<void> {
    const level = this.levels.get(connection);
    if (level === undefined) return;
    await this.setLevel(connection, level);
    this.levels.delete(connection);
  }

  /** The session's level; `tx_isolation` (MariaDB) or `transaction_isolation` (MySQL 8, MariaDB 11.1+). */
  private async sessionLevel(connection: MysqlConnection): Promise<string> {
    const [rows] = await connection.query({
      sql: "SHOW SESSION VARIABLES WHERE Variable_name IN ('transaction_isolation', 'tx_isolation')",
      rowsAsArray: true,
      timeout: this.timeout,
    });
    const value = String((rows as unknown[][])[0]?.[1] ?? '');
    const level = LEVELS[value];
    if (level === undefined)
      throw new Error(`the server reported an unknown isolation level ${JSON.stringify(value)}`);
    return level;
  }

  private async setLevel(connection: MysqlConnection, level: string): Promise<void> {
    // `level` is one of LEVELS' values, never caller input.
    await connection.query({
      sql: `SET SESSION TRANSACTION ISOLATION LEVEL ${level}`,
      timeout: this.timeout,
    });
  }
}
