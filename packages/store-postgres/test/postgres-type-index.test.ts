import { describeReadAll } from '@strata/conformance';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresEventStore } from '../src/index.js';
import { within } from './support/deadline.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  PG_URL,
  randomSchema,
} from './support/postgres-test-env.js';

const INDEX = 'strata_events_type_position';

describePostgres('typeIndex: the (event_type, position) index on request', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];
  const fresh = () => {
    const schema = randomSchema();
    schemas.push(schema);
    return schema;
  };

  beforeAll(() => {
    admin = adminPool();
  });

  afterAll(async () => {
    for (const schema of schemas) await dropSchema(admin, schema);
    await admin.end();
  });

  /** `indisvalid` of the type index, `undefined` when there is none. */
  async function typeIndexValid(schema: string): Promise<boolean | undefined> {
    const { rows } = await admin.query('SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)', [
      `"${schema}"."${INDEX}"`,
    ]);
    return rows[0]?.indisvalid;
  }

  for (const partitions of [undefined, 3]) {
    it(`is built when the store opens, and a second store building it at the same moment does not fail (partitions: ${partitions})`, async () => {
      const schema = fresh();
      const plain = await openStore(schema, { partitions });
      await plain.append('s', [{ type: 'a', data: 1 }]);
      await plain.close();
      expect(await typeIndexValid(schema)).toBeUndefined();
      const stores = await Promise.all(
        [1, 2].map(() => openStore(schema, { partitions, typeIndex: true, poolSize: 1 })),
      );
      try {
        expect(await typeIndexValid(schema)).toBe(true);
        if (partitions !== undefined) {
          const { rows } = await admin.query(
            'SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = to_regclass($1)',
            [`"${schema}"."${INDEX}"`],
          );
          expect(rows).toEqual([{ n: partitions }]);
        }
        expect((await stores[1]!.readAll({ types: ['a'] })).map((e) => e.position)).toEqual([1n]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it(`rebuilds an index left INVALID by a failed build (partitions: ${partitions})`, async () => {
      const schema = fresh();
      await (await openStore(schema, { partitions })).close();
      const events = `"${schema}".strata_events`;
      const invalidate = (index: string) =>
        admin.query('UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass($1)', [
          `"${schema}"."${index}"`,
        ]);
      // What a cancelled CREATE INDEX CONCURRENTLY leaves behind: an index marked INVALID. On a
      // partitioned table, a build stopped part way: the parent's entry, one partition's index built
      // and attached, one left invalid, one not begun.
      if (partitions === undefined) {
        await admin.query(`CREATE INDEX ${INDEX} ON ${events} (event_type, position)`);
        await invalidate(INDEX);
      } else {
        await admin.query(`CREATE INDEX ${INDEX} ON ONLY ${events} (event_type, position)`);
        for (const p of [0, 1]) {
          await admin.query(
            `CREATE INDEX strata_events_p${p}_type_position ON "${schema}".strata_events_p${p} (event_type, position)`,
          );
        }
        await admin.query(
          `ALTER INDEX "${schema}".${INDEX} ATTACH PARTITION "${schema}".strata_events_p0_type_position`,
        );
        await invalidate('strata_events_p1_type_position');
      }
      expect(await typeIndexValid(schema)).toBe(false);
      await (await openStore(schema, { partitions, typeIndex: true })).close();
      expect(await typeIndexValid(schema)).toBe(true);
    });
  }

  it('finds an existing index in the catalog: no DDL, so no wait for a lock on the events table', async () => {
    const schema = fresh();
    await (await openStore(schema, { typeIndex: true })).close();
    const holder = await admin.connect();
    try {
      await holder.query('BEGIN');
      // Conflicts with both CREATE INDEX (SHARE) and CREATE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE).
      await holder.query(`LOCK TABLE "${schema}".strata_events IN SHARE ROW EXCLUSIVE MODE`);
      const store = await within(
        openStore(schema, { typeIndex: true }),
        10_000,
        'opening with the index there',
      );
      await store.close();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('is built with migrate: false too, and a store without the option leaves it in place', async () => {
    const schema = fresh();
    await (await openStore(schema)).close();
    await (await openStore(schema, { migrate: false, typeIndex: true })).close();
    expect(await typeIndexValid(schema)).toBe(true);
    await (await openStore(schema)).close();
    await (await openStore(schema, { typeIndex: false })).close();
    expect(await typeIndexValid(schema)).toBe(true);
  });

  it('with migrate: false before the tables exist, opens, and migrate() builds it after the migrations', async () => {
    const schema = fresh();
    const store = await openStore(schema, { migrate: false, typeIndex: true });
    try {
      expect(await typeIndexValid(schema)).toBeUndefined();
      await store.migrate();
      expect(await typeIndexValid(schema)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("leaves the connection's statement_timeout as it was after a build", async () => {
    const schema = fresh();
    await (await openStore(schema)).close();
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    try {
      await pool.query("SET statement_timeout = '7s'");
      await (await createPostgresEventStore({ pool, schema, typeIndex: true })).close();
      expect(await typeIndexValid(schema)).toBe(true);
      expect((await pool.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '7s' }]);
    } finally {
      await pool.end();
    }
  });
});

// The kit's type-filtered reads (and the rest of readAll) over the index; the full kit runs without it.
for (const partitions of [undefined, 4]) {
  describePostgres(`readAll with typeIndex: true (partitions: ${partitions})`, () => {
    const schema = randomSchema();
    let admin: pg.Pool;
    let shared: pg.Pool;

    beforeAll(async () => {
      admin = adminPool();
      shared = new pg.Pool({ connectionString: PG_URL, max: 4 });
      shared.on('error', () => {});
    });

    afterAll(async () => {
      await shared.end();
      await dropSchema(admin, schema);
      await admin.end();
    });

    describeReadAll({
      create: () => createPostgresEventStore({ pool: shared, schema, partitions, typeIndex: true }),
    });

    it('read over the index', async () => {
      const { rows } = await admin.query(
        'SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)',
        [`"${schema}"."${INDEX}"`],
      );
      expect(rows).toEqual([{ indisvalid: true }]);
    });
  });
}
