import { createPostgresEventStore } from '@strata/store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import { postgresRawSchemaSql, seedPostgres } from '../src/targets/postgres-bench-schema.js';
import {
  POSTGRES_FLOOR_SEQUENCE,
  PostgresMinimalStore,
  postgresFloorSchemaSql,
  postgresMinimalSchemaSql,
} from '../src/targets/postgres-minimal-store.js';
import { PostgresRawBaseline } from '../src/targets/postgres-raw-baseline.js';
import { POSTGRES_URL, postgresTarget, probePostgres } from '../src/targets/postgres-target.js';
import { benchEvent } from '../src/workloads/bench-events.js';
import { expectEveryWorkloadRuns, inspectEachStore } from './support/every-workload.js';
import { expectCommitOrderedPositions } from './support/floor-commit-order.js';
import { expectInputCheckedFirst } from './support/floor-input-checks.js';
import { expectStoreFields } from './support/floor-read-fields.js';
import { expectFirstStreamTypeKept } from './support/floor-stream-type.js';
import { describeWithServer } from './support/server-gate.js';

const unreachable = await probePostgres(POSTGRES_URL);

describeWithServer('the postgres target', unreachable, () => {
  const names = new BenchObjectNames('strata_bench_');
  let admin: pg.Pool;
  const schemasOfThisRun = async () =>
    (
      await admin.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE left(nspname, length($1)) = $1 ORDER BY 1',
        [`strata_bench_${names.tag}_`],
      )
    ).rows.map((row) => row.nspname);

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  });
  afterAll(async () => {
    for (const schema of await schemasOfThisRun()) await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });

  it("gives the raw table the store's events columns, types and indexes", async () => {
    const schema = names.next('shape');
    await (await createPostgresEventStore({ connectionString: POSTGRES_URL, schema, poolSize: 1 })).close();
    for (const sql of postgresRawSchemaSql(schema)) await admin.query(sql);
    const shape = async (table: string) => {
      const columns = await admin.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, table],
      );
      const indexes = await admin.query<{ indexdef: string }>(
        'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
        [schema, table],
      );
      // Index names differ; what they index, and whether uniquely, must not.
      const definitions = indexes.rows
        .map((row) => row.indexdef.replace(/INDEX \S+ ON \S+/, 'INDEX ON'))
        .sort();
      return { columns: columns.rows, definitions };
    };
    const store = await shape('strata_events');
    // Position, (stream_id, version), event id; no type index at the store's default layout.
    expect(store.definitions).toHaveLength(3);
    expect(await shape('raw_events')).toEqual(store);
  });

  it('seeds every side with the same events, which the store, the raw baseline, the minimal store and the floor read back', async () => {
    const schema = names.next('seed');
    await (await createPostgresEventStore({ connectionString: POSTGRES_URL, schema, poolSize: 1 })).close();
    for (const sql of postgresRawSchemaSql(schema)) await admin.query(sql);
    for (const sql of postgresMinimalSchemaSql(schema)) await admin.query(sql);
    for (const sql of postgresFloorSchemaSql(schema)) await admin.query(sql);
    await seedPostgres(admin, schema, { streamIds: ['s-a', 's-b', "s'c"], eventsPerStream: 4 });

    const store = await createPostgresEventStore({ connectionString: POSTGRES_URL, schema, poolSize: 2 });
    const raw = await PostgresRawBaseline.open(POSTGRES_URL, schema);
    try {
      const events = await store.readStream("s'c");
      // Round-robin: stream k holds events k, k + 3, k + 6, ... of the log, with benchEvent's payload.
      expect(events.map((e) => [e.version, e.data, e.metadata, e.type])).toEqual(
        [2, 5, 8, 11].map((n, i) => {
          const expected = benchEvent(n);
          return [i + 1, expected.data, expected.metadata, expected.type];
        }),
      );
      expect(await store.streamVersion('s-a')).toBe(4);
      expect(await raw.readStream("s'c")).toBe(4);
      const log = await store.readAll({ limit: 100 });
      expect(log.map((e) => e.streamId).slice(0, 4)).toEqual(['s-a', 's-b', "s'c", 's-a']);
      expect(await raw.readAll(0n, 100)).toEqual({ count: 12, lastPosition: 12n });

      // The minimal store holds the same events in the same global order.
      const minimal = await PostgresMinimalStore.open(POSTGRES_URL, schema);
      try {
        const same = (e: {
          streamId: string;
          version: number;
          type: string;
          data: unknown;
          metadata: unknown;
        }) => [e.streamId, e.version, e.type, e.data, e.metadata];
        expect((await minimal.readAllEvents(0n, 100)).map(same)).toEqual(log.slice(0, 12).map(same));
        expect(await minimal.readStream("s'c")).toBe(4);
      } finally {
        await minimal.close();
      }
      // So does the floor, with the store's event ids, which its unique index keeps unique.
      const floor = await PostgresMinimalStore.openFloor(POSTGRES_URL, schema);
      try {
        expect(await floor.readStream("s'c")).toBe(4);
        // Its reads return what the store's do: the stored ids, schema versions and recording times.
        await expectStoreFields(floor, store, "s'c", 12);
        expect(await floor.readAll(0n, 100)).toEqual({ count: 12, lastPosition: 12n });
        const { rows } = await admin.query(
          `SELECT event_id FROM "${schema}".floor_events ORDER BY position LIMIT 12`,
        );
        expect(rows.map((row) => row.event_id)).toEqual(log.slice(0, 12).map((e) => e.id));
        await floor.append('s-floor', [{ ...benchEvent(1), id: 'floor-id-1' }], 0);
        await expect(floor.append('s-other', [{ ...benchEvent(2), id: 'floor-id-1' }], 0)).rejects.toThrow(
          /duplicate key/,
        );
        expect(await floor.readStream('s-floor')).toBe(1);
        // Its positions go on from the seeded log's: the seed moved its counter too.
        const positions = await admin.query(
          `SELECT position FROM "${schema}".floor_events WHERE stream_id = 's-floor'`,
        );
        expect(positions.rows.map((row) => Number(row.position))).toEqual([13]);
      } finally {
        await floor.close();
      }

      await raw.append('s-new', [benchEvent(1), benchEvent(2)], 0);
      await expect(raw.append('s-new', [benchEvent(3)], 1)).rejects.toThrow('is at 2');
      expect(await raw.readStream('s-new')).toBe(2);
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('has the floor hand out positions in commit order, and none to an append it refuses', async () => {
    const schema = names.next('floor');
    for (const sql of postgresFloorSchemaSql(schema)) await admin.query(sql);
    const floor = await PostgresMinimalStore.openFloor(POSTGRES_URL, schema);
    const holder = await admin.connect();
    try {
      await expectCommitOrderedPositions({
        floor,
        query: (sql) => holder.query(sql),
        lockCounter: `SELECT position FROM "${schema}".${POSTGRES_FLOOR_SEQUENCE} WHERE id = 1 FOR UPDATE`,
        async rows() {
          const { rows } = await admin.query(
            `SELECT stream_id, version, position FROM "${schema}".floor_events ORDER BY position`,
          );
          return rows.map((r) => [r.stream_id, Number(r.version), Number(r.position)]);
        },
      });
    } finally {
      holder.release();
      await floor.close();
    }
  });

  it("has the floor keep the contract's rules: input checked before any write, a stream's type fixed by its first append", async () => {
    const schema = names.next('floor');
    for (const sql of postgresFloorSchemaSql(schema)) await admin.query(sql);
    const floor = await PostgresMinimalStore.openFloor(POSTGRES_URL, schema);
    try {
      await expectInputCheckedFirst(floor);
      await expectFirstStreamTypeKept(floor);
    } finally {
      await floor.close();
    }
  });

  it('runs every workload on every side and drops every schema it made', async () => {
    const target = postgresTarget(POSTGRES_URL, names);
    const before = await schemasOfThisRun();
    await expectEveryWorkloadRuns(target);
    expect(await schemasOfThisRun()).toEqual(before);
  });

  it('with partitions, runs every workload on a hash-partitioned store (the raw side stays one table)', async () => {
    const target = postgresTarget(POSTGRES_URL, names, { partitions: 4 });
    expect(target.label).toBe('postgres (pg), 4 partitions');
    // Every store the runs open is looked at: how many partitions its events table has.
    const partitionCounts: number[] = [];
    inspectEachStore(target, async () => {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent
           JOIN pg_namespace s ON s.oid = c.relnamespace
          WHERE left(s.nspname, length($1)) = $1 AND c.relname = 'strata_events'
          GROUP BY s.nspname`,
        [`strata_bench_${names.tag}_`],
      );
      partitionCounts.push(...rows.map((row) => row.n));
    });
    const before = await schemasOfThisRun();
    await expectEveryWorkloadRuns(target);
    expect(partitionCounts.length).toBeGreaterThan(0);
    expect(new Set(partitionCounts)).toEqual(new Set([4]));
    expect(await schemasOfThisRun()).toEqual(before);
  });
});
