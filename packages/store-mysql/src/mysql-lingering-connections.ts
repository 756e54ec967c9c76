import type { MysqlConnection, MysqlPool } from './mysql-driver.js';

/**
 * How long a connection stays out of the pool after its last transaction: long enough for the next
 * one that follows right away (a caller appending in a loop, the append queue's next group, a
 * projection runner's next batch, whose page is read ahead while this one commits), short enough
 * that a small pool's readers barely notice.
 */
const LINGER_MS = 10;

/**
 * Pool connections whose session is set up once for a kind of transaction (`prepare`) and kept
 * while such transactions follow each other, so the setup is not paid per transaction. Each goes
 * back to the pool `LINGER_MS` after its last transaction, or at `close()`, with its session as the
 * pool gave it (`restore`). One whose setup or restore fails is destroyed, never returned: its
 * session state is unknown.
 */
export abstract class LingeringConnections {
  private idle: MysqlConnection[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly pool: MysqlPool,
    protected readonly timeout: number,
  ) {}

  /** Sets up a connection fresh from the pool for this kind of transaction. */
  protected abstract prepare(connection: MysqlConnection): Promise<void>;
  /** Undoes `prepare`, before the connection goes back to the pool. */
  protected abstract restore(connection: MysqlConnection): Promise<void>;

  async acquire(): Promise<MysqlConnection> {
    const held = this.idle.pop();
    if (held !== undefined) return held;
    const connection = await this.pool.getConnection();
    try {
      await this.prepare(connection);
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

  /** Hands the idle connections back to the pool, restored. */
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
    try {
      await this.restore(connection);
      connection.release();
    } catch {
      connection.destroy();
    }
  }
}
