import { createMysqlEventStore } from '@strata/store-mysql';
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import { createMysqlTables, dropMysqlTables, seedMysql } from '../src/targets/mysql-bench-schema.js';
import {
  MysqlMinimalStore,
  mysqlFloorSequenceTable,
  mysqlFloorTable,
} from '../src/targets/mysql-minimal-store.js';
import { MysqlRawBaseline, mysqlPool } from '../src/targets/mysql-raw-baseline.js';
import { MYSQL_URL, mysqlTarget, probeMysql } from '../src/targets/mysql-target.js';
import { benchEvent } from '../src/workloads/bench-events.js';
import { expectEveryWorkloadRuns, inspectEachStore } from './support/every-workload.js';
import { expectCommitOrderedPositions } from './support/floor-commit-order.js';
import { expectInputCheckedFirst } from './support/floor-input-checks.js';
import { expectStoreFields } from './support/floor-read-fields.js';
import { expectFirstStreamTypeKept } from './support/floor-stream-type.js';
import { describeWithServer } from './support/server-gate.js';

const unreachable = await probeMysql(MYSQL_URL);

describeWithServer('the mysql target', unreachable, () => {
  const names = new BenchObjectNames('strata_bench_');
  let admin: Pool;
  const tablesOfThisRun = async () => {
    const [rows] = await admin.query(
      // Tables and the store's stored procedure: a run must leave neither behind.
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE() AND LEFT(table_name, CHAR_LENGTH(?)) = ?
       UNION ALL
       SELECT routine_name FROM information_schema.routines
        WHERE routine_schema = DATABASE() AND LEFT(routine_name, CHAR_LENGTH(?)) = ? ORDER BY 1`,
      [
        `strata_bench_${names.tag}_`,
        `strata_bench_${names.tag}_`,
        `strata_bench_${names.tag}_`,
        `strata_bench_${names.tag}_`,
      ],
    );
    return (rows as { name: string }[]).map((row) => row.name);
  };

  beforeAll(() => {
    admin = mysqlPool(MYSQL_URL, 2);
  });
  afterAll(async () => {
    await dropMysqlTables(admin, `strata_bench_${names.tag}_`);
    await admin.end();
  });

  it("gives the raw table the store's events columns and indexes, with an AUTO_INCREMENT position", async () => {
    const prefix = `${names.next('shape')}_`;
    await createMysqlTables(MYSQL_URL, admin, prefix);
    const shape = async (table: string) => {
      const [columns] = await admin.query(
        `SELECT column_name, column_type, is_nullable, collation_name, extra FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
        [`${prefix}${table}`],
      );
      const [indexes] = await admin.query(
        `SELECT index_name, non_unique, seq_in_index, column_name FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND table_name = ? ORDER BY index_name, seq_in_index`,
        [`${prefix}${table}`],
      );
      return { columns: columns as Record<string, unknown>[], indexes };
    };
    const store = await shape('events');
    const raw = await shape('raw_events');
    expect(raw.indexes).toEqual(store.indexes);
    expect(raw.columns.map((c) => ({ ...c, EXTRA: undefined, extra: undefined }))).toEqual(
      store.columns.map((c) => ({ ...c, EXTRA: undefined, extra: undefined })),
    );
    expect(JSON.stringify(raw.columns[0])).toMatch(/auto_increment/);
  });

  it('seeds every side with the same events, which the store, the raw baseline, the minimal store and the floor read back', async () => {
    const prefix = `${names.next('seed')}_`;
    await createMysqlTables(MYSQL_URL, admin, prefix);
    await seedMysql(admin, prefix, { streamIds: ['s-a', 's-b', "s'c"], eventsPerStream: 4 });

    const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 2 });
    const raw = await MysqlRawBaseline.open(MYSQL_URL, prefix);
    try {
      const events = await store.readStream("s'c");
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
      // The store continues the seeded global order.
      const appended = await store.append('s-a', [benchEvent(0)], { expectedVersion: 4 });
      expect(appended.lastPosition).toBe(13n);

      // The minimal store holds the same events in the same global order.
      const minimal = await MysqlMinimalStore.open(MYSQL_URL, prefix);
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
      const floor = await MysqlMinimalStore.openFloor(MYSQL_URL, prefix);
      try {
        expect(await floor.readStream("s'c")).toBe(4);
        // Its reads return what the store's do: the stored ids, schema versions and recording times.
        await expectStoreFields(floor, store, "s'c", 12);
        expect(await floor.readAll(0n, 100)).toEqual({ count: 12, lastPosition: 12n });
        const [ids] = await admin.query(
          `SELECT event_id FROM ${mysqlFloorTable(prefix)} ORDER BY position LIMIT 12`,
        );
        expect((ids as { event_id: string }[]).map((row) => row.event_id)).toEqual(
          log.slice(0, 12).map((e) => e.id),
        );
        await floor.append('s-floor', [{ ...benchEvent(1), id: 'floor-id-1' }], 0);
        await expect(floor.append('s-other', [{ ...benchEvent(2), id: 'floor-id-1' }], 0)).rejects.toThrow(
          /Duplicate entry/,
        );
        expect(await floor.readStream('s-floor')).toBe(1);
        // Its positions go on from the seeded log's: the seed moved its counter too.
        const [positions] = await admin.query(
          `SELECT position FROM ${mysqlFloorTable(prefix)} WHERE stream_id = 's-floor'`,
        );
        expect((positions as { position: number }[]).map((row) => Number(row.position))).toEqual([13]);
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
    const prefix = `${names.next('floor')}_`;
    await createMysqlTables(MYSQL_URL, admin, prefix);
    const floor = await MysqlMinimalStore.openFloor(MYSQL_URL, prefix);
    const holder = await admin.getConnection();
    try {
      await expectCommitOrderedPositions({
        floor,
        query: (sql) => holder.query(sql),
        lockCounter: `SELECT position FROM ${mysqlFloorSequenceTable(prefix)} WHERE id = 1 FOR UPDATE`,
        async rows() {
          const [rows] = await admin.query(
            `SELECT stream_id, version, position FROM ${mysqlFloorTable(prefix)} ORDER BY position`,
          );
          return (rows as { stream_id: string; version: number; position: number }[]).map((r) => [
            r.stream_id,
            Number(r.version),
            Number(r.position),
          ]);
        },
      });
    } finally {
      holder.release();
      await floor.close();
    }
  });

  it("has the floor keep the contract's rules: input checked before any write, a stream's type fixed by its first append", async () => {
    const prefix = `${names.next('floor')}_`;
    await createMysqlTables(MYSQL_URL, admin, prefix);
    const floor = await MysqlMinimalStore.openFloor(MYSQL_URL, prefix);
    try {
      await expectInputCheckedFirst(floor);
      await expectFirstStreamTypeKept(floor);
    } finally {
      await floor.close();
    }
  });

  it('runs every workload on every side and drops every table it made', async () => {
    const target = mysqlTarget(MYSQL_URL, names);
    const before = await tablesOfThisRun();
    await expectEveryWorkloadRuns(target);
    expect(await tablesOfThisRun()).toEqual(before);
  });
  it('with partitions, runs every workload on a partitioned store; the raw, minimal and floor tables stay plain', async () => {
    // Names of its own, so that only this target's tables are looked at.
    const own = new BenchObjectNames('strata_bench_');
    const prefix = `strata_bench_${own.tag}_`;
    const target = mysqlTarget(MYSQL_URL, own, { partitions: 4 });
    expect(target.label).toBe('mysql (mysql2, MariaDB), 4 partitions');
    // Every store the runs open is looked at: partitions of its events table and of the raw table.
    const seen: string[] = [];
    inspectEachStore(target, async () => {
      const [rows] = await admin.query(
        `SELECT table_name AS name, COUNT(partition_name) AS n FROM information_schema.partitions
          WHERE table_schema = DATABASE() AND RIGHT(table_name, 7) = '_events'
            AND LEFT(table_name, CHAR_LENGTH(?)) = ?
          GROUP BY table_name`,
        [prefix, prefix],
      );
      for (const row of rows as { name: string; n: number }[])
        seen.push(
          `${row.name.replace(/^.*_(raw|minimal|floor)_events$/, '$1').replace(/^.*_events$/, 'store')}:${Number(row.n)}`,
        );
    });
    try {
      await expectEveryWorkloadRuns(target);
      // A table without partitions has no partition names: the baselines stay one plain table.
      expect(new Set(seen)).toEqual(new Set(['store:4', 'raw:0', 'minimal:0', 'floor:0']));
    } finally {
      await dropMysqlTables(admin, prefix);
    }
  });
});
