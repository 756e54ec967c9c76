import { randomUUID } from 'node:crypto';
import { type Connection, createConnection, createPool } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import type { MysqlConnection, MysqlPool, MysqlQueryable, MysqlStatement } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

const LEVEL_SQL = "SHOW SESSION VARIABLES WHERE Variable_name IN ('transaction_isolation', 'tx_isolation')";

/** A caller's pool (a real one) that lists every statement its connections are sent. */
function listingPool(connectionLimit: number) {
  const inner = createPool({ uri: MYSQL_URL, connectionLimit });
  const sent: string[] = [];
  let taken = 0;
  const listed = <T extends MysqlQueryable>(target: T): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        if (key !== 'query' && key !== 'execute')
          return typeof value === 'function' ? value.bind(object) : value;
        return (statement: MysqlStatement | string, values?: unknown[]) => {
          sent.push(typeof statement === 'string' ? statement : statement.sql);
          return (value as (...args: unknown[]) => unknown).call(object, statement, values);
        };
      },
    });
  const pool: MysqlPool = {
    execute: (statement, values) => inner.execute(statement, values),
    query: (statement, values) => inner.query(statement, values),
    end: () => inner.end(),
    async getConnection() {
      taken++;
      return listed((await inner.getConnection()) as unknown as MysqlConnection);
    },
  };
  return { pool, inner, sent, taken: () => taken };
}

/**
 * The transaction's level, as its reads show it: a row committed by another connection after the
 * transaction's first read is seen by a second read under READ COMMITTED, not under REPEATABLE READ.
 */
async function transactionLevel(tx: MysqlQueryable, other: Connection, table: string): Promise<string> {
  const read = async () => {
    const [rows] = await tx.query({ sql: `SELECT v FROM ${table} WHERE id = 1`, rowsAsArray: true });
    return Number((rows as unknown[][])[0]?.[0]);
  };
  const first = await read();
  await other.query(`UPDATE ${table} SET v = v + 1 WHERE id = 1`);
  return (await read()) === first + 1 ? 'READ COMMITTED' : 'REPEATABLE READ';
}

describe.skipIf(!reachable)('runInTransaction: READ COMMITTED, started in one round trip', () => {
  const tables = useTestTables();
  const probe = async () => {
    const other = await tables.raw();
    const table = `\`${tables.prefix}rc_probe\``;
    await other.query(`CREATE TABLE IF NOT EXISTS ${table} (id INT PRIMARY KEY, v INT NOT NULL)`);
    await other.query(`INSERT IGNORE INTO ${table} VALUES (1, 0)`);
    return (tx: MysqlQueryable) => transactionLevel(tx, other, table);
  };
  afterAll(async () => {
    const connection = await createConnection({ uri: MYSQL_URL });
    await connection.query(`DROP TABLE IF EXISTS \`${tables.prefix}rc_probe\``);
    await connection.end();
  });

  it('starts each transaction with START TRANSACTION alone, the level set once per connection taken', async () => {
    const { pool, sent, taken } = listingPool(4);
    try {
      const { checkpoints } = tables.open({ connection: pool });
      const name = `rc-${randomUUID()}`;
      await checkpoints.saveCheckpoint(name, 0n);
      const levels: string[] = [];
      const level = await probe();
      sent.length = 0;
      for (let i = 1n; i <= 6n; i++) {
        await checkpoints.runInTransaction(async (tx) => {
          await checkpoints.saveCheckpointInTransaction(tx, name, i, { expectedPosition: i - 1n });
          levels.push(await level(tx));
        });
      }
      expect(levels).toEqual(Array(6).fill('READ COMMITTED'));
      expect(await checkpoints.loadCheckpoint(name)).toBe(6n);
      const control = sent.filter(
        (sql) => /TRANSACTION|COMMIT|ROLLBACK/.test(sql) && !sql.startsWith('SET SESSION'),
      );
      expect(control).toEqual(Array(6).fill(['START TRANSACTION', 'COMMIT']).flat());
      // The session's level is read and set only when a connection is taken from the pool.
      expect(sent.filter((sql) => sql === LEVEL_SQL).length).toBeLessThanOrEqual(taken());
    } finally {
      await pool.end();
    }
  });

  it("puts a caller's connection back at its own level", async () => {
    const { pool, inner } = listingPool(1);
    try {
      await inner.query('SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE');
      const { checkpoints } = tables.open({ connection: pool });
      const level = await probe();
      expect(await checkpoints.runInTransaction((tx) => level(tx))).toBe('READ COMMITTED');
      // The pool's only connection: handed back once the transaction's connection lingered.
      const [rows] = await inner.query({ sql: LEVEL_SQL, rowsAsArray: true });
      expect((rows as unknown[][])[0]?.[1]).toBe('SERIALIZABLE');
      await inner.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    } finally {
      await pool.end();
    }
  });
});
