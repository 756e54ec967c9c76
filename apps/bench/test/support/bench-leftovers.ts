import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BenchLocation } from '../../src/snapshots/snapshot-backends.js';
import { mysqlPool } from '../../src/targets/mysql-raw-baseline.js';
import { MYSQL_URL } from '../../src/targets/mysql-target.js';
import { POSTGRES_URL } from '../../src/targets/postgres-target.js';
import { REDIS_URL } from '../../src/tiered/redis-bench-hot-tier.js';

/** How many objects are left in a bench location: files, schemas, tables and procedures, keys. */
export async function leftovers(location: BenchLocation): Promise<number> {
  switch (location.kind) {
    case 'sqlite file':
      // The file lives in a directory of its own, deleted whole with the WAL beside it.
      return existsSync(dirname(location.name)) ? 1 : 0;
    case 'postgres schema': {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1',
          [location.name],
        );
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    }
    case 'mysql table prefix': {
      const pool = mysqlPool(MYSQL_URL, 1);
      try {
        const [rows] = await pool.query(
          `SELECT (SELECT count(*) FROM information_schema.tables
                    WHERE table_schema = DATABASE() AND LEFT(table_name, CHAR_LENGTH(?)) = ?)
                + (SELECT count(*) FROM information_schema.routines
                    WHERE routine_schema = DATABASE() AND LEFT(routine_name, CHAR_LENGTH(?)) = ?) AS n`,
          [location.name, location.name, location.name, location.name],
        );
        return Number((rows as { n: number }[])[0]!.n);
      } finally {
        await pool.end();
      }
    }
    case 'redis key prefix': {
      const redis = new Redis(REDIS_URL);
      try {
        let count = 0;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${location.name}*`, 'COUNT', 1_000);
          cursor = next;
          count += keys.length;
        } while (cursor !== '0');
        return count;
      } finally {
        redis.disconnect();
      }
    }
  }
}
