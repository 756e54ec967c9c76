import type { MysqlConnection, MysqlPool } from './mysql-driver.js';

/**
 * How long a connection stays out of the pool after its last checkpoint transaction: long enough
 * for a projection runner's next batch (its page is read ahead while the batch commits), short
 * enough that a small pool's readers barely notice.
 */
const LINGER_MS = 10;

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
 * and put back before it returns there, `LINGER_MS` after its last transaction or at `close()`.
 */
export class ReadCommittedConnections {
  private idle: MysqlConnection[] = [];
  /** The level to put back, for connections whose session level was changed here. */
  private readonly restore = new WeakMap<MysqlConnection, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly pool: MysqlPool,
    private readonly timeout: number,
  ) {}

  async acquire(): Promise<MysqlConnection> {
    const held = this.idle.pop();
    if (held !== undefined) return held;
    const connection = await this.pool.getConnection();
    try {
      const level = await this.sessionLevel(connection);
      if (level !== 'READ COMMITTED') {
        await this.setLevel(connection, 'READ COMMITTED');
        this.restore.set(connection, level);
      }
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return connection;
  }

  /** After COMMIT or ROLLBACK: no transaction is open on it. */
  keep(connection: MysqlConnection): void {
    if (this.closed) {
      void this.giveBack(connection);
      return;
    }
    this.idle.push(connection);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.releaseAll();
    }, LINGER_MS);
  }

  /** Hands the idle connections back to the pool at their own level. */
  async releaseAll(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const connections = this.idle;
    this.idle = [];
    await Promise.all(connections.map((connection) => this.giveBack(connection)));
  }

  /** Before the store closes: the idle ones go back now, those in a transaction when it ends. */
  async close(): Promise<void> {
    this.closed = true;
    await this.releaseAll();
  }

  private async giveBack(connection: MysqlConnection): Promise<void> {
    const level = this.restore.get(connection);
    try {
      if (level !== undefined) await this.setLevel(connection, level);
      this.restore.delete(connection);
      connection.release();
    } catch {
      connection.destroy();
    }
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
