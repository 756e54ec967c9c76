import { randomUUID } from 'node:crypto';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { MysqlAppendSql } from '../src/mysql-append-sql.js';
import { tableNames } from '../src/mysql-table-names.js';

/**
 * What an append does up to its COMMIT, by hand on `raw`: stream row, positions (the lock), event
 * row. The caller commits or rolls back. Returns the position the event took.
 */
export async function appendWithoutCommit(
  raw: Connection,
  tablePrefix: string,
  streamId: string,
  type: string,
  data = '{}',
): Promise<bigint> {
  const sql = new MysqlAppendSql(tableNames(tablePrefix), false);
  await raw.query('START TRANSACTION');
  await raw.execute(sql.createStream, [streamId, 'raw', 1]);
  const [header] = await raw.execute<ResultSetHeader>(sql.takePositions, [1]);
  const position = BigInt(header.insertId);
  const now = Date.now();
  await raw.execute(sql.insertEvents(1), [
    position.toString(),
    streamId,
    1,
    randomUUID(),
    'raw',
    type,
    data,
    '{}',
    1,
    now,
    now,
  ]);
  return position;
}
