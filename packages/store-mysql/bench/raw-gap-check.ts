import { createConnection, type RowDataPacket } from 'mysql2/promise';

/**
 * Shows why the raw baseline is not a correct global log: a reader paging by AUTO_INCREMENT
 * position skips an event whose transaction took its position first but committed last.
 * Returns true when the event was skipped.
 */
export async function rawBaselineSkipsLateCommit(url: string, prefix: string): Promise<boolean> {
  const table = `\`${prefix}gap_check\``;
  const [early, late, reader] = await Promise.all([1, 2, 3].map(() => createConnection({ uri: url })));
  try {
    await reader!.query(
      `CREATE TABLE ${table} (position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20)) ENGINE=InnoDB`,
    );
    await early!.query('BEGIN');
    await early!.execute(`INSERT INTO ${table} (label) VALUES ('first')`);
    await late!.execute(`INSERT INTO ${table} (label) VALUES ('second')`);
    const [page] = await reader!.query<RowDataPacket[]>(`SELECT position FROM ${table} ORDER BY position`);
    const cursor = Number(page[page.length - 1]?.position ?? 0);
    await early!.query('COMMIT');
    const [rest] = await reader!.execute<RowDataPacket[]>(`SELECT label FROM ${table} WHERE position > ?`, [
      cursor,
    ]);
    return !rest.some((row) => row.label === 'first');
  } finally {
    await reader!.query(`DROP TABLE IF EXISTS ${table}`);
    await Promise.all([early, late, reader].map((c) => c!.end()));
  }
}
