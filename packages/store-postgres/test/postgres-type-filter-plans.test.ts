import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastOfTypesBelowSql } from '../src/postgres-last-of-types.js';
import { readStatements } from '../src/postgres-read-statements.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

const EVENTS = 20_000;

/** One node of `EXPLAIN (ANALYZE, FORMAT JSON)`'s tree. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The nodes that ran (a CASE branch not taken, or a subplan never needed, shows 0 loops). */
function executed(node: PlanNode): PlanNode[] {
  if (node['Actual Loops'] === 0) return [];
  return [node, ...(node.Plans ?? []).flatMap(executed)];
}

// What the store's type filters cost without the type index, and that they use it when it is there,
// as the planner sees them on a log of 41 types where one event in a hundred is of the rare type. Generic plans:
// the statements are prepared, and the append-advancing function forces them.
for (const partitions of [undefined, 4]) {
  describePostgres(`type-filtered statements' plans (partitions: ${partitions})`, () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    let admin: pg.Pool;
    let client: pg.PoolClient;

    beforeAll(async () => {
      admin = adminPool();
      await (await openStore(schema, { partitions })).close();
      await admin.query(
        `INSERT INTO ${t.events} (event_id, stream_id, stream_type, event_type, data, metadata, version,
           schema_version, occurred_at, recorded_at)
         SELECT g::text, 's-' || (g % 100), 's', CASE WHEN g % 100 = 0 THEN 'rare' ELSE 'common-' || (g % 40) END,
                '{}', '{}', g / 100 + 1, 1, 0, 0
           FROM generate_series(1, $1::integer) AS g`,
        [EVENTS],
      );
      // Statistics and the visibility map, as autovacuum keeps them on a live table.
      await admin.query(`VACUUM ANALYZE ${t.events}`);
      client = await admin.connect();
      await client.query('SET plan_cache_mode = force_generic_plan');
      const reads = readStatements(t);
      const readAll = (
        partitions === undefined ? reads.readAllOfTypes : reads.readAllOfTypesPartitioned
      ).query([]).text;
      await client.query(`PREPARE read_typed(bigint, bigint, text[]) AS ${readAll}`);
      await client.query(
        `PREPARE last_typed(bigint, text[]) AS SELECT ${lastOfTypesBelowSql(t, '$2::text[]', '$1::bigint')} AS last`,
      );
    });

    afterAll(async () => {
      client?.release();
      await dropSchema(admin, schema);
      await admin.end();
    });

    const explain = async (statement: string): Promise<PlanNode[]> => {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`);
      return executed(rows[0]['QUERY PLAN'][0].Plan);
    };
    const removed = (nodes: PlanNode[]) =>
      nodes.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0);
    const indexes = (nodes: PlanNode[]) => new Set(nodes.flatMap((node) => node['Index Name'] ?? []));

    it('without the type index, readAll({ types }) walks positions in order and stops at its limit', async () => {
      const nodes = await explain("EXECUTE read_typed(0, 10, '{rare}')");
      expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
      expect(nodes[0]!['Node Type']).toBe('Limit');
      expect([...indexes(nodes)].every((name) => name.includes('position') || name.endsWith('pkey'))).toBe(
        true,
      );
      // Ten rare events lie within the first 1,000 positions: the walk stops near there, not at the
      // end (all of them are in one stream, so in one partition: the others hold none).
      expect(removed(nodes)).toBeLessThan(partitions === undefined ? 1_000 : 5_000);
      const { rows } = await client.query("EXECUTE read_typed(0, 10, '{rare}')");
      expect(rows.map((row) => Number(row.position))).toEqual(
        Array.from({ length: 10 }, (_, i) => (i + 1) * 100),
      );
    });

    it('without the type index, the last-of-types lookup walks back and stops at the nearest match', async () => {
      const nodes = await explain(`EXECUTE last_typed(${EVENTS}, '{rare,absent}')`);
      expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
      expect(nodes.some((node) => node['Scan Direction'] === 'Backward')).toBe(true);
      expect(removed(nodes)).toBeLessThan(100);
      expect(await client.query(`EXECUTE last_typed(${EVENTS}, '{rare,absent}')`)).toMatchObject({
        rows: [{ last: String(EVENTS - 100) }],
      });
    });

    it('with the type index, the lookup takes one index step per type', async () => {
      await (await openStore(schema, { partitions, typeIndex: true })).close();
      await admin.query(`VACUUM ANALYZE ${t.events}`);
      const nodes = await explain(`EXECUTE last_typed(${EVENTS}, '{rare,absent}')`);
      expect([...indexes(nodes)].some((name) => name.endsWith('type_position'))).toBe(true);
      expect(removed(nodes)).toBe(0);
      expect(await client.query(`EXECUTE last_typed(${EVENTS}, '{rare,absent}')`)).toMatchObject({
        rows: [{ last: String(EVENTS - 100) }],
      });
    });
  });
}
