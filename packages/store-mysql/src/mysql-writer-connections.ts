import type { MysqlConnection } from './mysql-driver.js';
import { LingeringConnections } from './mysql-lingering-connections.js';

/**
 * The connections append transactions run on. A writer connection runs with `autocommit = 0`,
 * so its first statement opens the transaction: no separate START TRANSACTION round trip. Kept
 * while appends follow each other, and handed back with autocommit restored (each hand-back and
 * take costs two round trips to toggle it, which the lingering saves a caller appending in a loop).
 */
export class WriterConnections extends LingeringConnections {
  protected async prepare(connection: MysqlConnection): Promise<void> {
    await connection.query({ sql: 'SET autocommit = 0', timeout: this.timeout });
  }

  protected async restore(connection: MysqlConnection): Promise<void> {
    await connection.query({ sql: 'SET autocommit = 1', timeout: this.timeout });
  }
}
