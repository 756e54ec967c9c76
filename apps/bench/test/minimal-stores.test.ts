import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@strata/core';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import type { BenchSubject } from '../src/bench-target.js';
import { deleteKeys } from '../src/redis-key-cleanup.js';
import { dropMysqlTables } from '../src/targets/mysql-bench-schema.js';
import { MysqlMinimalStore, mysqlMinimalSchemaSql } from '../src/targets/mysql-minimal-store.js';
import { mysqlPool } from '../src/targets/mysql-raw-baseline.js';
import { MYSQL_URL, probeMysql } from '../src/targets/mysql-target.js';
import { PostgresMinimalStore, postgresMinimalSchemaSql } from '../src/targets/postgres-minimal-store.js';
import { POSTGRES_URL, probePostgres } from '../src/targets/postgres-target.js';
import { RedisMinimalStore } from '../src/targets/redis-minimal-store.js';
import { createSqliteSchema } from '../src/targets/sqlite-bulk-seed.js';
import { SqliteMinimalStore } from '../src/targets/sqlite-minimal-store.js';
import { probeRedis, REDIS_URL } from '../src/tiered/redis-bench-hot-tier.js';
import { benchBatch, benchEvent } from '../src/workloads/bench-events.js';
import { describeWithServer } from './support/server-gate.js';

/** The calls every minimal store offers: the bench's, and the decoded events behind its counts. */
interface MinimalStore extends BenchSubject {
  readStreamEvents(streamId: string): Promise<RecordedEvent[]>;
  readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]>;
}

interface Engine {
  name: string;
  unreachable: string | undefined;
  /** A minimal store in an empty location of its own, and how to remove that location. */
  open(): Promise<{ store: MinimalStore; remove(): Promise<void> }>;
}

const names = new BenchObjectNames('strata_bench_');
const redisNames = new BenchObjectNames('strata-bench:');

const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    unreachable: undefined,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'strata-bench-minimal-'));
      createSqliteSchema(join(dir, 'bench.db'));
      const store = SqliteMinimalStore.open(join(dir, 'bench.db'), 'NORMAL');
      return { store, remove: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    unreachable: await probePostgres(POSTGRES_URL),
    async open() {
      const schema = names.next('minimal');
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      for (const sql of postgresMinimalSchemaSql(schema)) await admin.query(sql);
      const store = await PostgresMinimalStore.open(POSTGRES_URL, schema);
      return {
        store,
        async remove() {
          await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'MySQL',
    unreachable: await probeMysql(MYSQL_URL),
    async open() {
      const prefix = `${names.next('minimal')}_`;
      const admin = mysqlPool(MYSQL_URL, 1);
      await admin.query(mysqlMinimalSchemaSql(prefix));
      const store = await MysqlMinimalStore.open(MYSQL_URL, prefix);
      return {
        store,
        async remove() {
          await dropMysqlTables(admin, prefix);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'Redis',
    unreachable: await probeRedis(REDIS_URL),
    async open() {
      const prefix = `${redisNames.next('minimal')}:`;
      const store = await RedisMinimalStore.open(REDIS_URL, prefix);
      return {
        store,
        async remove() {
          const admin = new Redis(REDIS_URL);
          try {
            await deleteKeys(admin, prefix);
          } finally {
            admin.disconnect();
          }
        },
      };
    },
  },
];

for (const engine of ENGINES) {
  describeWithServer(`the minimal ${engine.name} store`, engine.unreachable, () => {
    let store: MinimalStore;
    let remove: () => Promise<void>;
    beforeAll(async () => {
      ({ store, remove } = await engine.open());
    });
    afterAll(async () => {
      await store?.close();
      await remove?.();
    });

    it('appends at the expected version and reads the events back as the contract decodes them', async () => {
      const before = Date.now();
      await store.append("s'a", benchBatch(0, 2), 0);
      await store.append("s'a", [benchEvent(2)], 2);
      const events = await store.readStreamEvents("s'a");
      expect(events.map((e) => [e.streamId, e.streamType, e.type, e.version, e.data, e.metadata])).toEqual(
        [0, 1, 2].map((n, i) => {
          const expected = benchEvent(n);
          return ["s'a", 'default', expected.type, i + 1, expected.data, expected.metadata];
        }),
      );
      for (const event of events) {
        expect(typeof event.position).toBe('bigint');
        expect(event.id).toBe(event.position.toString());
        expect(event.schemaVersion).toBe(1);
        expect(event.occurredAt).toBeInstanceOf(Date);
        expect(event.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(event.recordedAt).toEqual(event.occurredAt);
      }
      const positions = events.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(positions).size).toBe(3);
      expect(await store.readStream("s'a")).toBe(3);
    });

    it('refuses an append at the wrong version and writes none of its events', async () => {
      await expect(store.append("s'a", benchBatch(3, 2), 2)).rejects.toThrow("stream s'a is at 3, not 2");
      await expect(store.append('s-empty', [benchEvent(0)], 1)).rejects.toThrow(
        'stream s-empty is at 0, not 1',
      );
      expect(await store.readStream("s'a")).toBe(3);
      expect(await store.readStream('s-empty')).toBe(0);
      // The stream goes on from where it was.
      await store.append("s'a", [benchEvent(3)], 3);
      expect((await store.readStreamEvents("s'a")).map((e) => e.version)).toEqual([1, 2, 3, 4]);
    });

    it('pages through the global log in position order with readAll', async () => {
      await store.append('s-b', benchBatch(10, 3), 0);
      const all = await store.readAllEvents(0n, 100);
      expect(all.map((e) => [e.streamId, e.version])).toEqual([
        ["s'a", 1],
        ["s'a", 2],
        ["s'a", 3],
        ["s'a", 4],
        ['s-b', 1],
        ['s-b', 2],
        ['s-b', 3],
      ]);
      const paged: bigint[] = [];
      let after = 0n;
      for (;;) {
        const page = await store.readAll(after, 3);
        if (page.lastPosition === undefined) break;
        expect(page.count).toBeLessThanOrEqual(3);
        const events = await store.readAllEvents(after, 3);
        expect(events).toHaveLength(page.count);
        paged.push(...events.map((e) => e.position));
        after = page.lastPosition;
      }
      expect(paged).toEqual(all.map((e) => e.position));
      expect(new Set(paged).size).toBe(7);
      expect(await store.readAll(after, 3)).toEqual({ count: 0, lastPosition: undefined });
    });
  });
}
