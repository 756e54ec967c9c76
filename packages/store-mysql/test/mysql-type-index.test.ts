import { type Connection, createConnection, createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, migrate } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { freshPrefixes } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

async function typeIndexIds(db: Connection, prefix: string): Promise<string[]> {
  // A rebuilt index gets a new InnoDB index id (MariaDB's catalog name first, then MySQL 8's).
  for (const [indexes, tables] of [
    ['INNODB_SYS_INDEXES', 'INNODB_SYS_TABLES'],
    ['INNODB_INDEXES', 'INNODB_TABLES'],
  ]) {
    try {
      const [rows] = await db.query({
        sql: `SELECT CAST(i.INDEX_ID AS CHAR) FROM information_schema.${indexes} i
          JOIN information_schema.${tables} t ON t.TABLE_ID = i.TABLE_ID
          WHERE i.NAME = 'type_position' AND t.NAME LIKE CONCAT(DATABASE(), '/', ?, 'events%')
          ORDER BY 1`,
        rowsAsArray: true,
        values: [prefix],
      });
      return (rows as string[][]).map((row) => row[0]!);
    } catch (error) {
      if ((error as { errno?: number }).errno !== 1109) throw error; // unknown table: the other server
    }
  }
  throw new Error('no InnoDB index catalog');
}

async function hasTypeIndex(db: Connection, prefix: string): Promise<boolean> {
  const [rows] = await db.execute({
    sql: `SELECT COUNT(*) FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = 'type_position'`,
    rowsAsArray: true,
    values: [`${prefix}events`],
  });
  return Number((rows as unknown[][])[0]![0]) > 0;
}

/** Tables as the previous release left them: migrations 1 to 10, with the type index. */
async function atMigration10(db: Connection, prefix: string, partitions: number | undefined): Promise<void> {
  const pool = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
  try {
    await migrate(pool, { tablePrefix: prefix, ...(partitions === undefined ? {} : { partitions }) });
  } finally {
    await pool.end();
  }
  await db.query(`CREATE INDEX type_position ON \`${prefix}events\` (event_type, position)`);
  // Stand-ins for migration 10's procedures, so the test sees migration 11 replace them.
  for (const name of ['append_single_advancing', 'append_batch_advancing']) {
    await db.query(`DROP PROCEDURE IF EXISTS \`${prefix}${name}\``);
    await db.query(`CREATE PROCEDURE \`${prefix}${name}\` () SELECT 'migration 10'`);
  }
  await db.query(`DELETE FROM \`${prefix}migrations\` WHERE version >= 11`);
}

async function procedureBodies(db: Connection, prefix: string): Promise<string[]> {
  const [rows] = await db.execute({
    sql: `SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME IN (?, ?) ORDER BY ROUTINE_NAME`,
    rowsAsArray: true,
    values: [`${prefix}append_batch_advancing`, `${prefix}append_single_advancing`],
  });
  return (rows as string[][]).map((row) => row[0]!);
}

/** Events of types `t0` to `t11` round-robin over three streams, and one `rare` event early on. */
async function seedTypes(store: MysqlEventStore, count: number): Promise<void> {
  for (let n = 0; n < count; n += 6) {
    const events = Array.from({ length: 6 }, (_, i) => ({
      type: n + i === 2 ? 'rare' : `t${(n + i) % 12}`,
      data: { n: n + i },
    }));
    await store.append(`s-${(n / 6) % 3}`, events);
  }
}

describe.skipIf(!reachable)('the type index (typeIndex)', () => {
  const fresh = freshPrefixes();
  const connections: Connection[] = [];
  const connect = async () => {
    const connection = await createConnection({ uri: MYSQL_URL });
    connections.push(connection);
    return connection;
  };
  const open = (
    prefix: string,
    options: { typeIndex?: boolean; migrate?: boolean; partitions?: number } = {},
  ) => createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 2, ...options });
  const closing = async (stores: MysqlEventStore[]) => {
    for (const store of stores) await store.close();
    for (const connection of connections.splice(0)) await connection.end();
  };

  for (const partitions of [undefined, 3]) {
    const layout = partitions === undefined ? 'plain table' : `${partitions} KEY partitions`;

    it(`migration 11 drops the index of tables at migration 10, keeps every event and replaces the advancing procedures (${layout})`, async () => {
      const prefix = fresh();
      const admin = await connect();
      await atMigration10(admin, prefix, partitions);
      const old = open(prefix, { migrate: false, ...(partitions === undefined ? {} : { partitions }) });
      try {
        await seedTypes(old, 48);
        await old.checkpoints.saveCheckpoint('audit', 7n);
        const before = await old.readAll();
        expect(before).toHaveLength(48);
        expect(await hasTypeIndex(admin, prefix)).toBe(true);

        expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([11]);
        expect(await hasTypeIndex(admin, prefix)).toBe(false);
        const bodies = await procedureBodies(admin, prefix);
        expect(bodies).toHaveLength(2);
        for (const body of bodies) expect(body).toContain('v_floor');
        // Cut off after the drop, before it was recorded: the rerun finds no index and goes on.
        await admin.query(`DELETE FROM \`${prefix}migrations\` WHERE version = 11`);
        expect((await migrate(old.pool, { tablePrefix: prefix })).applied).toEqual([11]);

        const upgraded = open(prefix, { migrate: false });
        try {
          expect(await upgraded.readAll()).toEqual(before);
          expect(await upgraded.readAll({ types: ['rare', 't5'] })).toEqual(
            before.filter((e) => e.type === 'rare' || e.type === 't5'),
          );
          expect(await upgraded.checkpoints.loadCheckpoint('audit')).toBe(7n);
          const next = await upgraded.append('s-0', [{ type: 't1', data: 'after' }]);
          expect(next.lastPosition).toBe(49n);
        } finally {
          await upgraded.close();
        }
      } finally {
        await closing([old]);
      }
    });
  }

  it('a migration run with typeIndex: true keeps the index of tables at migration 10 instead of rebuilding it', async () => {
    const prefix = fresh();
    const admin = await connect();
    try {
      await atMigration10(admin, prefix, undefined);
      const ids = await typeIndexIds(admin, prefix);
      expect(ids).toHaveLength(1);
      const pool = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
      try {
        expect((await migrate(pool, { tablePrefix: prefix, typeIndex: true })).applied).toEqual([11]);
      } finally {
        await pool.end();
      }
      expect(await typeIndexIds(admin, prefix)).toEqual(ids);
    } finally {
      await closing([]);
    }
  });

  it('typeIndex: true creates the index on first use (with migrate: false too); without it an index stays', async () => {
    const prefix = fresh();
    const admin = await connect();
    const plain = open(prefix);
    const indexed = open(prefix, { typeIndex: true, migrate: false });
    const later = open(prefix);
    try {
      await plain.append('s', [{ type: 'a', data: 1 }]);
      expect(await hasTypeIndex(admin, prefix)).toBe(false);
      expect(await indexed.readAll({ types: ['a'] })).toHaveLength(1);
      expect(await hasTypeIndex(admin, prefix)).toBe(true);
      // A store without the option (another process) leaves it there.
      await later.append('s', [{ type: 'a', data: 2 }]);
      expect(await later.readAll({ types: ['a'] })).toHaveLength(2);
      expect(await hasTypeIndex(admin, prefix)).toBe(true);
    } finally {
      await closing([plain, indexed, later]);
    }
  });

  it('two processes that both find the index missing both open: the second CREATE INDEX is not an error', async () => {
    const prefix = fresh();
    const admin = await connect();
    const blocker = await connect();
    const stores = [open(prefix, { typeIndex: true }), open(prefix, { typeIndex: true })];
    try {
      const setup = open(prefix);
      await setup.append('s', [{ type: 'a', data: 1 }]);
      await setup.close();
      // An open transaction that read the table holds its metadata lock: both CREATE INDEX wait
      // for it after both found the index missing, then run one after the other.
      await blocker.query('START TRANSACTION');
      await blocker.query(`SELECT COUNT(*) FROM \`${prefix}events\``);
      const reads = stores.map((store) => store.readAll({ types: ['a'] }));
      for (let i = 0; ; i++) {
        const [rows] = await admin.query({
          sql: `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ?`,
          rowsAsArray: true,
          values: [`CREATE INDEX type_position ON \`${prefix}events\`%`],
        });
        if (Number((rows as unknown[][])[0]![0]) === 2) break;
        if (i > 500) throw new Error('the two CREATE INDEX statements never waited together');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await blocker.query('COMMIT');
      const results = await Promise.all(reads);
      expect(results.map((events) => events.length)).toEqual([1, 1]);
      expect(await hasTypeIndex(admin, prefix)).toBe(true);
    } finally {
      await closing(stores);
    }
  });

  for (const typeIndex of [false, true]) {
    const mode = typeIndex ? 'with the index' : 'without the index';

    it(`readAll by types returns the log filtered, for one type, several and more than eight, limited or not (${mode})`, async () => {
      const prefix = fresh();
      const store = open(prefix, { typeIndex });
      try {
        await seedTypes(store, 96);
        const all = await store.readAll();
        const cases: [string[], bigint, number | undefined][] = [
          [['t3'], 0n, undefined],
          [['t3'], 20n, 4],
          [['rare'], 0n, 1],
          [['rare'], 3n, 10],
          [['never'], 0n, 10],
          [['t1', 'rare', 't7'], 0n, 5],
          [['t1', 'rare', 't7'], 40n, undefined],
          [['t0', 't1', 't2', 't4', 't5', 't6', 't8', 't9', 't10', 'rare'], 10n, 7],
          [['t0', 't1', 't2', 't4', 't5', 't6', 't8', 't9', 't10', 'rare'], 10n, undefined],
        ];
        for (const [types, after, limit] of cases) {
          const expected = all
            .filter((e) => types.includes(e.type) && e.position > after)
            .slice(0, limit ?? all.length);
          const page = await store.readAll({ types, after, ...(limit === undefined ? {} : { limit }) });
          expect(page, JSON.stringify({ types, after: String(after), limit })).toEqual(expected);
        }
      } finally {
        await closing([store]);
      }
    });

    it(`precedingPosition is the last event of the types below the append, 0 when there is none (${mode})`, async () => {
      const prefix = fresh();
      const store = open(prefix, { typeIndex });
      try {
        await seedTypes(store, 36);
        const all = await store.readAll();
        const seen: bigint[][] = [];
        store.onAppendTransaction(async ({ precedingPosition }) => {
          seen.push(
            await Promise.all([
              precedingPosition(),
              precedingPosition(['rare']),
              precedingPosition(['t4', 't1']),
              precedingPosition(['never']),
              precedingPosition(['never', 'rare']),
            ]),
          );
        });
        await store.append('s-9', [{ type: 't1', data: {} }]);
        const last = (types: string[]) => all.filter((e) => types.includes(e.type)).at(-1)!.position;
        expect(seen).toEqual([[36n, 3n, last(['t4', 't1']), 0n, 3n]]);
      } finally {
        await closing([store]);
      }
    });
  }
});
