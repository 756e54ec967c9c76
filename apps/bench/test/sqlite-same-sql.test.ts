import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchSubject } from '../src/bench-target.js';
import { storeSubject } from '../src/store-subject.js';
import { createSqliteSchema, seedSqlite } from '../src/targets/sqlite-bulk-seed.js';
import { configureSqliteConnection, SqliteRawBaseline } from '../src/targets/sqlite-raw-baseline.js';
import { benchBatch, benchEvent } from '../src/workloads/bench-events.js';

const normalize = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** A real better-sqlite3 connection that logs the SQL text of every statement it executes. */
function recordingDatabase(path: string, log: string[]): BetterSqlite3.Database {
  const wrap = (statement: BetterSqlite3.Statement): BetterSqlite3.Statement => {
    const proxy: BetterSqlite3.Statement = new Proxy(statement, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'run' || prop === 'get' || prop === 'all' || prop === 'iterate')
            log.push(normalize(target.source));
          const result: unknown = value.apply(target, args);
          // raw() and safeIntegers() return the statement: keep handing out the recording one.
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  return new Proxy(new BetterSqlite3(path), {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql));
      if (prop === 'exec') {
        return (sql: string) => {
          log.push(normalize(sql));
          return target.exec(sql);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the SQLite raw baseline runs exactly the SQL the store runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-bench-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('for the connection set-up and every workload call', async () => {
    const adapterLog: string[] = [];
    const rawLog: string[] = [];
    createSqliteSchema(join(dir, 'adapter.db'));
    createSqliteSchema(join(dir, 'raw.db'));
    const adapterDb = recordingDatabase(join(dir, 'adapter.db'), adapterLog);
    const rawDb = recordingDatabase(join(dir, 'raw.db'), rawLog);
    const store = createSqliteEventStore({ database: adapterDb, synchronous: 'NORMAL' });
    await store.streamVersion('open');
    configureSqliteConnection(rawDb, 'NORMAL');
    // The store also checks its migrations on open (untimed in the bench); the pragmas come first.
    expect(adapterLog.slice(0, rawLog.length)).toEqual(rawLog);

    const adapter = storeSubject(store);
    const raw = new SqliteRawBaseline(rawDb);
    const calls: [string, (subject: BenchSubject) => Promise<unknown>][] = [
      ['first append', (s) => s.append('s-1', [benchEvent(1)], 0)],
      ['append to an existing stream', (s) => s.append('s-1', [benchEvent(2)], 1)],
      ['batch append', (s) => s.append('s-1', benchBatch(3, 3), 2)],
      ['readStream', (s) => s.readStream('s-1')],
      ['readAll page', (s) => s.readAll(0n, 1000)],
    ];
    for (const [name, call] of calls) {
      adapterLog.length = 0;
      rawLog.length = 0;
      await call(adapter);
      await call(raw);
      expect(rawLog, name).toEqual(adapterLog);
      expect(rawLog.length, name).toBeGreaterThan(0);
    }
    await store.close();
    await raw.close();
    adapterDb.close();
  });

  it('writes rows the store reads back as its own', async () => {
    const path = join(dir, 'raw.db');
    createSqliteSchema(path);
    const raw = SqliteRawBaseline.open(path, 'FULL');
    await raw.append('s-1', [benchEvent(1)], 0);
    await raw.append('s-1', benchBatch(2, 2), 1);
    await expect(raw.append('s-1', [benchEvent(4)], 1)).rejects.toThrow(/expected 1/);
    expect(await raw.readStream('s-1')).toBe(3);
    await raw.close();

    const store = createSqliteEventStore({ database: path });
    const events = await store.readStream('s-1');
    expect(events.map((e) => [e.version, e.position, e.type, e.streamType])).toEqual([
      [1, 1n, 'bench.item-added', 'default'],
      [2, 2n, 'bench.item-added', 'default'],
      [3, 3n, 'bench.item-added', 'default'],
    ]);
    expect(events[0]!.data).toEqual(benchEvent(1).data);
    expect(await store.append('s-1', [benchEvent(5)], { expectedVersion: 3 })).toMatchObject({
      lastVersion: 4,
    });
    await store.close();
  });

  it('seeds streams round-robin with the stream rows the store expects', async () => {
    const path = join(dir, 'seeded.db');
    createSqliteSchema(path);
    seedSqlite(path, { streamIds: ['a', 'b'], eventsPerStream: 3 });
    const store = createSqliteEventStore({ database: path });
    const log = await store.readAll();
    expect(log.map((e) => `${e.streamId}${e.version}`)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
    expect(await store.streamVersion('b')).toBe(3);
    expect(await store.append('b', [benchEvent(0)], { expectedVersion: 3 })).toMatchObject({
      lastVersion: 4,
    });
    await store.close();
  });
});
