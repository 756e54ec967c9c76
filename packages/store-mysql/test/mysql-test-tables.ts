import { type Connection, createConnection, createPool } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createMysqlEventStore,
  type MysqlEventStore,
  type MysqlStoreOptions,
  migrate,
} from '../src/index.js';
import { dropTables, MYSQL_URL, randomPrefix } from './mysql-test-server.js';

export interface TestTables {
  readonly prefix: string;
  /** A store on the suite's tables (closed after the test). */
  open(options?: Partial<MysqlStoreOptions>): MysqlEventStore;
  /** A plain mysql2 connection (ended after the test), for statements behind the store's back. */
  raw(): Promise<Connection>;
}

/**
 * One set of tables per test file (a random prefix, migrated before the first test and dropped
 * after the last), so test files and parallel runs never share tables.
 */
export function useTestTables(options: { partitions?: number; typeIndex?: boolean } = {}): TestTables {
  const prefix = randomPrefix();
  let stores: MysqlEventStore[] = [];
  let connections: Connection[] = [];

  beforeAll(async () => {
    const pool = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
    try {
      await migrate(pool, { tablePrefix: prefix, ...options });
    } finally {
      await pool.end();
    }
  });
  afterEach(async () => {
    const [openStores, openConnections] = [stores, connections];
    stores = [];
    connections = [];
    for (const connection of openConnections) connection.destroy();
    for (const store of openStores) await store.close();
  });
  afterAll(() => dropTables(prefix));

  return {
    prefix,
    open(extra = {}) {
      const store = createMysqlEventStore({
        connection: MYSQL_URL,
        tablePrefix: prefix,
        poolSize: 4,
        ...options,
        ...extra,
      });
      stores.push(store);
      return store;
    },
    async raw() {
      const connection = await createConnection({ uri: MYSQL_URL });
      connections.push(connection);
      return connection;
    },
  };
}

/**
 * For suites that need a fresh set of tables per test: each call hands out a new prefix, and every
 * prefix handed out is dropped after the suite's last test.
 */
export function freshPrefixes(): () => string {
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await dropTables(prefix);
  });
  return () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    return prefix;
  };
}
