import type { MysqlConnection, MysqlPool } from './mysql-driver.js';

/**
 * How long a writer connection stays out of the pool after its last transaction: long enough for a
 * caller appending in a loop (each hand-back and take costs two round trips to toggle autocommit),
 * short enough that a small pool's readers barely notice.
 */
const LINGER_MS = 10;

/**
 * The connections append transactions run on. A writer connection runs with `autocommit = 0`,
 * so its first statement opens the transaction: no separate START TRANSACTION round trip. It is
 * kept while appends follow each other (a caller appending in a loop, or the queue's next group)
 * and goes back to the pool, with autocommit restored, `LINGER_MS` after the last one, so it never
 * keeps a small pool from serving reads for long. A connection that failed in a way that leaves its
 * state unknown is destroyed, never returned.
 */
export class WriterConnections {
  private idle: MysqlConnection[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pool: MysqlPool,
    private readonly timeout: number,
  ) {}

  async acquire(): Promise<MysqlConnection> {
    const held = this.idle.pop();
    if (held !== undefined) return held;
    const connection = await this.pool.getConnection();
    try {
      await connection.query({ sql: 'SET autocommit = 0', timeout: this.timeout });
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return connection;
  }

  /** After COMMIT or ROLLBACK: no transaction is open on it. */
  keep(connection: MysqlConnection): void {
    this.idle.push(connection);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.releaseAll();
    }, LINGER_MS);
  }

  /** Hands the idle writer connections back to the pool as the pool gave them. */
  async releaseAll(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const connections = this.idle;
    this.idle = [];
    await Promise.all(
      connections.map(async (connection) => {
        try {
          await connection.query({ sql: 'SET autocommit = 1', timeout: this.timeout });
          connection.release();
        } catch {
          connection.destroy();
        }
      }),
    );
  }
}
