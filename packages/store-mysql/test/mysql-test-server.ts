import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** The server the tests use; `STRATA_MYSQL_URL` overrides the local default. */
export const MYSQL_URL = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Whether the server answers. Under `CI` an unreachable server fails the run instead of skipping
 * the tests: CI must never pass by testing nothing.
 */
export async function mysqlReachable(): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await connection.ping();
    await connection.end();
    return true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(`MySQL/MariaDB at ${MYSQL_URL} is unreachable under CI`, { cause: error });
    return false;
  }
}

/** A table prefix no other run uses, so parallel runs never share tables. */
export function randomPrefix(): string {
  return `t_${randomBytes(5).toString('hex')}_`;
}

const TABLES = [
  'events',
  'event_ids',
  'streams',
  'sequence',
  'snapshots',
  'checkpoints',
  'migrations',
  'storage',
  'dead_letters',
  'lease_fences',
  'data_keys',
];

/** Drops the tables (and the procedure) a store with `prefix` created, and nothing else. */
export async function dropTables(prefix: string): Promise<void> {
  const connection = await createConnection({ uri: MYSQL_URL });
  try {
    await connection.query(`DROP TABLE IF EXISTS ${TABLES.map((t) => `\`${prefix}${t}\``).join(', ')}`);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_one\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_single\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_batch\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_single_advancing\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_batch_advancing\``);
  } finally {
    await connection.end();
  }
}

/** Moves the sequence row of the tables with `prefix`: the next append takes `lastPosition + 1`. */
export async function seedSequence(prefix: string, lastPosition: bigint): Promise<void> {
  const connection = await createConnection({ uri: MYSQL_URL });
  try {
    await connection.execute(`UPDATE \`${prefix}sequence\` SET position = CAST(? AS UNSIGNED) WHERE id = 1`, [
      lastPosition.toString(),
    ]);
  } finally {
    await connection.end();
  }
}

/** Host and port of `MYSQL_URL`. */
export function serverAddress(): { host: string; port: number } {
  const url = new URL(MYSQL_URL);
  return { host: url.hostname, port: Number(url.port || 3306) };
}
