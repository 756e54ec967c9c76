import { createConnection } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { precedingFromSql, precedingOfTypeSql, precedingOfTypesSql } from '../src/mysql-preceding-sql.js';
import { MysqlReadSql } from '../src/mysql-read-sql.js';
import { tableNames } from '../src/mysql-table-names.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

async function isMariadb(): Promise<boolean> {
  if (!reachable) return false;
  const connection = await createConnection({ uri: MYSQL_URL });
  try {
    const [rows] = await connection.query({ sql: 'SELECT VERSION()', rowsAsArray: true });
    return /mariadb/i.test(String((rows as unknown[][])[0]?.[0]));
  } finally {
    await connection.end();
  }
}

interface Access {
  key: string;
  rows: number;
}

/** What MariaDB's `ANALYZE FORMAT=JSON` says each table access used and read, and whether it sorted. */
function accesses(plan: unknown): { accesses: Access[]; sorted: boolean } {
  const found: Access[] = [];
  let sorted = false;
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'filesort') sorted = true;
      if (key === 'table' && typeof value === 'object' && value !== null && 'key' in value) {
        const table = value as { key: string; r_rows: number };
        found.push({ key: table.key, rows: table.r_rows });
      }
      walk(value);
    }
  };
  walk(plan);
  return { accesses: found, sorted };
}

// ANALYZE runs the statement and reports the rows each access really read: the plans the
// type-filtered statements must keep, with and without the type index, on a log large enough
// that a full walk would show. MariaDB's ANALYZE FORMAT=JSON; MySQL 8 has no such output.
describe.skipIf(!(await isMariadb()))('type-filtered statements walk only what they need (ANALYZE)', () => {
  for (const typeIndex of [false, true]) {
    describe(typeIndex ? 'with the type index' : 'without the type index', () => {
      const tables = useTestTables({ typeIndex });
      const names = tableNames(tables.prefix);
      const sql = new MysqlReadSql(names);

      beforeAll(async () => {
        const store = tables.open();
        // 1,200 events of 12 types in turn: a type every 12th position.
        for (let n = 0; n < 1200; n += 100) {
          await store.append(
            `s-${n}`,
            Array.from({ length: 100 }, (_, i) => ({ type: `t${(n + i) % 12}`, data: {} })),
          );
        }
        await store.close();
        const raw = await createConnection({ uri: MYSQL_URL });
        await raw.query(`ANALYZE TABLE ${names.events}`);
        await raw.end();
      });

      async function analyze(statement: string, values: (string | number)[]) {
        const raw = await tables.raw();
        const [rows] = await raw.query({
          sql: `ANALYZE FORMAT=JSON ${statement}`,
          values,
          rowsAsArray: true,
        });
        return accesses(JSON.parse(String((rows as unknown[][])[0]![0])));
      }

      if (!typeIndex) {
        it('a limited read by types walks the primary key in order from its position and stops at the limit', async () => {
          const plan = await analyze(sql.readAllOfTypes(2, true), ['t3', 't7', '240', 5]);
          expect(plan.sorted).toBe(false);
          expect(plan.accesses).toHaveLength(1);
          expect(plan.accesses[0]!.key).toBe('PRIMARY');
          // 5 events of 2 types in 12: about 30 rows, not the 960 after position 240.
          expect(plan.accesses[0]!.rows).toBeLessThanOrEqual(36);
        });

        it('the preceding position of several types is one backward walk that stops at the first of them', async () => {
          const plan = await analyze(precedingOfTypesSql(names.events, 2), ['t3', 't7', '1000']);
          expect(plan.sorted).toBe(false);
          expect(plan.accesses.map((a) => a.key)).toEqual(['PRIMARY']);
          expect(plan.accesses[0]!.rows).toBeLessThanOrEqual(12);
        });
      } else {
        it('a limited read of a few types merges one index range per type, each cut at the limit', async () => {
          const plan = await analyze(sql.readAllOfTypesLimited(2), ['t3', '240', 5, 't7', '240', 5, 5]);
          expect(plan.accesses.map((a) => a.key)).toEqual(['type_position', 'type_position']);
          for (const access of plan.accesses) expect(access.rows).toBeLessThanOrEqual(5);
        });

        it('the preceding position of a type is one index step', async () => {
          const plan = await analyze(`SELECT (${precedingOfTypeSql(names.events)})`, ['t3', '1000']);
          expect(plan.accesses.map((a) => a.key)).toEqual(['type_position']);
          expect(plan.accesses[0]!.rows).toBeLessThanOrEqual(1);
        });
      }

      it(`the procedures' lookup never walks below the checkpoint, even for a type not in the log`, async () => {
        const plan = await analyze(precedingFromSql(names.events, '?', '?', '?'), ['never', 1000, 900]);
        expect(plan.accesses).toHaveLength(1);
        expect(plan.accesses[0]!.key).toBe(typeIndex ? 'type_position' : 'PRIMARY');
        // The 100 rows from the checkpoint (900) to the append (1000), not the 999 below it.
        expect(plan.accesses[0]!.rows).toBeLessThanOrEqual(typeIndex ? 1 : 100);
      });
    });
  }
});
