import type { StoredEventLocation } from '@strata/core';
import { chunks, inListSize, padded } from './in-list.js';
import type { MysqlAppendSql } from './mysql-append-sql.js';
import type { MysqlQueryable } from './mysql-driver.js';
import { toBigInt } from './mysql-event-row.js';

const CHUNK = 256;

/** Where the given event ids are stored (committed ones only), for the idempotent-retry decision. */
export async function findStoredEvents(
  db: MysqlQueryable,
  sql: MysqlAppendSql,
  ids: readonly string[],
  timeout: number,
): Promise<StoredEventLocation[]> {
  const found: StoredEventLocation[] = [];
  for (const chunk of chunks([...new Set(ids)], CHUNK)) {
    const size = inListSize(chunk.length);
    const [rows] = await db.execute(
      { sql: sql.findEvents(size), rowsAsArray: true, timeout },
      padded(chunk, size),
    );
    for (const row of rows as unknown[][]) {
      found.push({
        id: row[0] as string,
        streamId: row[1] as string,
        version: Number(row[2]),
        position: toBigInt(row[3]),
      });
    }
  }
  return found;
}
