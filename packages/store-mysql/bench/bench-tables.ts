import { createConnection } from 'mysql2/promise';

export async function dropTables(url: string, prefix: string, names: readonly string[]): Promise<void> {
  const connection = await createConnection({ uri: url });
  try {
    await connection.query(`DROP TABLE IF EXISTS ${names.map((n) => `\`${prefix}${n}\``).join(', ')}`);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_one\``);
  } finally {
    await connection.end();
  }
}
