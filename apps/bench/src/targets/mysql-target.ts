import { createMysqlEventStore } from '@strata/store-mysql';
import { createConnection, type Pool } from 'mysql2/promise';
import { BenchObjectNames } from '../bench-object-names.js';
import type { BenchTarget } from '../bench-target.js';
import { ServerSeedCache } from '../server-seed-cache.js';
import { SERVER_MINIMAL_TARGETS } from './minimal-event.js';
import { createMysqlTables, dropMysqlTables, seedMysql } from './mysql-bench-schema.js';
import { MysqlMinimalStore } from './mysql-minimal-store.js';
import { MYSQL_POOL_SIZE, MysqlRawBaseline, mysqlPool } from './mysql-raw-baseline.js';
import { SERVER_RAW_NOTE, SERVER_SCALE_NOTE } from './server-notes.js';
import { scaleForServer } from './server-scale.js';

/** The server; `STRATA_MYSQL_URL` overrides the machine's default. */
export const MYSQL_URL = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Raw mysql2 events/s on MariaDB 10.11, measured on the reference machine (2 cores): issue 3. */
const RAW_REFERENCE: BenchTarget['rawReference'] = {
  W1: 1_180,
  W2: 2_139,
  W3: 27_523,
  W4: 141_134,
  W5: 123_342,
};

/**
 * `@strata/store-mysql` against mysql2 running a plain four-round-trip transaction. Every run
 * gets its own random table prefix in the URL's database; only tables under it are dropped.
 */
export function mysqlTarget(
  url: string = MYSQL_URL,
  names: BenchObjectNames = new BenchObjectNames('strata_bench_'),
  { partitions }: { partitions?: number | undefined } = {},
): BenchTarget {
  let admin: Pool | undefined;
  const adminPool = (): Pool => {
    admin ??= mysqlPool(url, 2);
    return admin;
  };
  const prefixFor = (kind: string) => `${names.next(kind)}_`;
  const seeds = new ServerSeedCache(async (plan) => {
    const prefix = prefixFor('seed');
    try {
      await createMysqlTables(url, adminPool(), prefix, partitions);
      await seedMysql(adminPool(), prefix, plan, partitions);
    } catch (error) {
      await dropMysqlTables(adminPool(), prefix);
      throw error;
    }
    return { name: prefix, drop: () => dropMysqlTables(adminPool(), prefix) };
  });

  return {
    name: 'mysql',
    family: 'mysql',
    label:
      partitions === undefined
        ? 'mysql (mysql2, MariaDB)'
        : `mysql (mysql2, MariaDB), ${partitions} partitions`,
    goals: { W1: 1.0, W2: 1.0, W3: 1.0, W4: 0.9, W5: 0.9 },
    scaling: [{ faster: 'W2', than: 'W1' }],
    rawReference: RAW_REFERENCE,
    rawBaseline:
      'mysql2: BEGIN, SELECT MAX(version), one multi-row INSERT, COMMIT per append; plain SELECTs for reads',
    minimal: {
      description:
        'mysql2: one table <prefix>minimal_events (AUTO_INCREMENT position, unique (stream_id, version)): BEGIN, ' +
        'SELECT COALESCE(MAX(version), 0), one multi-row INSERT, COMMIT',
      targets: SERVER_MINIMAL_TARGETS,
    },
    floor: {
      description:
        "the minimal store plus the input checks (core's prepareAppend, before BEGIN), a unique event id (UUID v7 text, as the store makes them) in table <prefix>floor_events, " +
        'the index that idempotent retries and store-wide id uniqueness need, the schema version and recording ' +
        'time (its reads return them and the stored id, as the contract asks), and positions in commit order ' +
        '(gap-safe readAll) from a one-row counter <prefix>floor_events_sequence, locked until COMMIT; ' +
        'BEGIN, one UPDATE that checks the version and takes the positions, one multi-row INSERT, COMMIT',
    },
    notes: [SERVER_RAW_NOTE, SERVER_SCALE_NOTE],
    scaleFor: scaleForServer,
    probe: () => probeMysql(url),
    async setup() {
      // A fresh prefix per run, used by whichever side opens; a seeded run reads a shared one.
      const fresh = prefixFor('run');
      let prefix = fresh;
      return {
        async createStore() {
          const store = createMysqlEventStore({ connection: url, tablePrefix: prefix, partitions });
          await store.migrate();
          // Open every pooled connection (and prepare the read statement) outside the timed part.
          await Promise.all(Array.from({ length: MYSQL_POOL_SIZE }, () => store.readStream('bench-open')));
          return store;
        },
        async openRaw() {
          if (prefix === fresh) await createMysqlTables(url, adminPool(), prefix, partitions);
          return MysqlRawBaseline.open(url, prefix);
        },
        async openMinimal() {
          if (prefix === fresh) await createMysqlTables(url, adminPool(), prefix, partitions);
          return MysqlMinimalStore.open(url, prefix);
        },
        async openFloor() {
          if (prefix === fresh) await createMysqlTables(url, adminPool(), prefix, partitions);
          return MysqlMinimalStore.openFloor(url, prefix);
        },
        async seed(plan) {
          prefix = await seeds.nameFor(plan);
        },
        teardown: () => dropMysqlTables(adminPool(), fresh),
      };
    },
    async dispose() {
      await seeds.clear();
      await admin?.end();
      admin = undefined;
    },
  };
}

/** `undefined` when the server answers, else why the target cannot run. */
export async function probeMysql(url: string): Promise<string | undefined> {
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 3_000 });
    try {
      await connection.query('SELECT 1');
    } finally {
      await connection.end();
    }
    return undefined;
  } catch (error) {
    return `MySQL unreachable at ${url} (${error instanceof Error ? error.message : String(error)}); set STRATA_MYSQL_URL`;
  }
}
