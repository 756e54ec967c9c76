import { randomBytes } from 'node:crypto';
import { describeSnapshotStore } from '@strata/conformance';
import type { EventStore, SnapshotStore } from '@strata/core';
import { createMysqlEventStore } from '@strata/store-mysql';
import { createPostgresEventStore } from '@strata/store-postgres';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { postgresReachable } from '@strata/test-servers';
import type { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { createRedisHotTier, createTieredEventStore, type TieredEventStore } from '../src/index.js';
import { deleteKeys, randomKeyPrefix, redisClient } from './support/redis-env.js';
import { describeWithServer } from './support/server-probe.js';
import { tempSqliteFiles } from './support/temp-sqlite.js';

const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

interface Parts {
  store: TieredEventStore;
  warm: EventStore;
  redis: Redis;
  prefix: string;
}

/** The kit's options for `tiered.snapshots` over warm stores from `openWarm`, each with its own key prefix. */
function tieredSnapshots(openWarm: () => EventStore | Promise<EventStore>) {
  const parts = new WeakMap<SnapshotStore, Parts>();
  return {
    create: async () => {
      const warm = await openWarm();
      const redis = redisClient();
      const prefix = randomKeyPrefix();
      const store = createTieredEventStore({
        warm,
        hot: createRedisHotTier(redis, { keyPrefix: prefix, timeoutMs: 2_000 }),
        ttlSeconds: 600,
        logger: { warn() {} },
      });
      const snapshots = store.snapshots;
      if (snapshots === undefined) throw new Error('the warm store has snapshots, so the tiered store has');
      parts.set(snapshots, { store, warm, redis, prefix });
      return snapshots;
    },
    dispose: async (snapshots: SnapshotStore) => {
      const { store, warm, redis, prefix } = parts.get(snapshots)!;
      await store.close();
      await warm.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}

describe('tiered snapshots over SQLite', () => {
  const files = tempSqliteFiles();
  describeSnapshotStore(
    'tiered.snapshots: Redis hot tier over SQLite (conformance kit)',
    tieredSnapshots(() => createSqliteEventStore({ database: files.path(), synchronous: 'NORMAL' })),
  );
});

describeWithServer('tiered snapshots over PostgreSQL', await postgresReachable(PG_URL), PG_URL, () => {
  const schema = `strata_tsnap_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  describeSnapshotStore(
    'tiered.snapshots: Redis hot tier over PostgreSQL (conformance kit)',
    tieredSnapshots(() => createPostgresEventStore({ connectionString: PG_URL, schema })),
  );
});

async function mysqlReachable(): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

describeWithServer('tiered snapshots over MySQL/MariaDB', await mysqlReachable(), MYSQL_URL, () => {
  const tablePrefix = `tsnap_${randomBytes(4).toString('hex')}_`;
  afterAll(async () => {
    const connection = await createConnection({ uri: MYSQL_URL });
    const [rows] = await connection.query('SHOW TABLES LIKE ?', [`${tablePrefix}%`]);
    for (const row of rows as Record<string, string>[]) {
      await connection.query(`DROP TABLE IF EXISTS \`${Object.values(row)[0]}\``);
    }
    await connection.query(`DROP PROCEDURE IF EXISTS \`${tablePrefix}append_one\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${tablePrefix}append_single\``);
    await connection.query(`DROP PROCEDURE IF EXISTS \`${tablePrefix}append_batch\``);
    await connection.end();
  });
  describeSnapshotStore(
    'tiered.snapshots: Redis hot tier over MySQL/MariaDB (conformance kit)',
    tieredSnapshots(() => createMysqlEventStore({ connection: MYSQL_URL, tablePrefix, poolSize: 2 })),
  );
});
