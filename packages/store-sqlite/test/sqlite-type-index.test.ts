import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, migrate } from '../src/index.js';
import { migrateTo } from './migrate-to.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const INDEX = 'strata_events_type_position';

function hasIndex(path: string): boolean {
  const raw = databases.raw(path);
  const found = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(INDEX);
  raw.close();
  return found !== undefined;
}

describe.each([false, true])('type-filtered reads with typeIndex: %s', (typeIndex) => {
  it('readAll({ types }) returns the events of those types in position order, a page at a time', async () => {
    const store = createSqliteEventStore({ database: databases.path(), typeIndex });
    for (let i = 0; i < 30; i++) {
      await store.append(`s-${i % 3}`, [
        { type: i % 10 === 9 ? 'rare' : i % 2 === 0 ? 'even' : 'odd', data: i },
      ]);
    }
    const rare = await store.readAll({ types: ['rare'] });
    expect(rare.map((event) => event.data)).toEqual([9, 19, 29]);
    const page = await store.readAll({ types: ['rare', 'even'], after: rare[0]!.position, limit: 3 });
    expect(page.map((event) => event.data)).toEqual([10, 12, 14]);
    expect(await store.readAll({ types: ['never'] })).toEqual([]);
    await store.close();
  });

  it('precedingPosition(types) finds the nearest event of any of the types below the append', async () => {
    const store = createSqliteEventStore({ database: databases.path(), typeIndex });
    const seen: bigint[] = [];
    store.onAppendTransaction(({ precedingPosition }) => {
      seen.push(precedingPosition(['rare', 'b']) as bigint);
    });
    const rare = await store.append('s', [{ type: 'rare', data: 0 }]);
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await store.append('s', [{ type: 'a', data: i }]));
    const b = await store.append('t', [{ type: 'b', data: 0 }]);
    await store.append('t', [{ type: 'a', data: 0 }]);
    // More types than one IN list holds: the lists are looked up in chunks and the nearest wins.
    const many = [...Array.from({ length: 600 }, (_, i) => `x${i}`), 'rare'];
    let fromMany = -1n;
    store.onAppendTransaction(({ precedingPosition }) => {
      fromMany = precedingPosition(many) as bigint;
    });
    await store.append('t', [{ type: 'a', data: 1 }]);
    expect(seen).toEqual([
      0n,
      rare.lastPosition,
      ...others.slice(1).map(() => rare.lastPosition),
      rare.lastPosition,
      b.lastPosition,
      b.lastPosition,
    ]);
    expect(fromMany).toBe(rare.lastPosition);
    await store.close();
  });
});

describe('typeIndex', () => {
  it('is off by default: a new database has no type index, and appends write none', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [{ type: 'a', data: 1 }]);
    await store.close();
    expect(hasIndex(path)).toBe(false);
  });

  it('on, builds the index on first use; a second store asking for it too opens fine', async () => {
    const path = databases.path();
    const plain = createSqliteEventStore({ database: path });
    await plain.append('s', [{ type: 'a', data: 1 }]);
    expect(hasIndex(path)).toBe(false);
    const one = createSqliteEventStore({ database: path, typeIndex: true });
    const two = createSqliteEventStore({ database: path, typeIndex: true });
    expect((await one.readAll({ types: ['a'] })).length).toBe(1);
    expect(hasIndex(path)).toBe(true);
    await two.append('s', [{ type: 'a', data: 2 }]);
    expect((await two.readAll({ types: ['a'] })).map((event) => event.data)).toEqual([1, 2]);
    await Promise.all([plain.close(), one.close(), two.close()]);
  });

  it('off does not drop an index another store built', async () => {
    const path = databases.path();
    const indexed = createSqliteEventStore({ database: path, typeIndex: true });
    await indexed.append('s', [{ type: 'a', data: 1 }]);
    await indexed.close();
    const plain = createSqliteEventStore({ database: path });
    await plain.append('s', [{ type: 'a', data: 2 }]);
    expect((await plain.readAll({ types: ['a'] })).length).toBe(2);
    await plain.close();
    expect(hasIndex(path)).toBe(true);
  });

  it('with migrate: false, is built over tables migrated beforehand', async () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrate(raw);
    raw.close();
    const store = createSqliteEventStore({ database: path, migrate: false, typeIndex: true });
    await store.append('s', [{ type: 'a', data: 1 }]);
    await store.close();
    expect(hasIndex(path)).toBe(true);
  });
});

describe('migration 7 (opt-in type index) from the released layout', () => {
  it('drops the type index and keeps every row', async () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrateTo(raw, 6);
    const store = createSqliteEventStore({ database: raw, migrate: false });
    for (let i = 0; i < 10; i++) await store.append(`s-${i % 2}`, [{ type: `t${i % 3}`, data: { i } }]);
    const rows = raw.prepare('SELECT * FROM strata_events ORDER BY position').all();
    expect(hasIndex(path)).toBe(true);
    expect(migrate(raw).applied).toEqual([7]);
    expect(hasIndex(path)).toBe(false);
    expect(raw.prepare('SELECT * FROM strata_events ORDER BY position').all()).toEqual(rows);
    const after = createSqliteEventStore({ database: path });
    expect((await after.readAll({ types: ['t1'] })).map((event) => event.data)).toEqual([
      { i: 1 },
      { i: 4 },
      { i: 7 },
    ]);
    await after.append('s-0', [{ type: 't1', data: { i: 10 } }], { expectedVersion: 5 });
    await Promise.all([after.close(), store.close()]);
  });
});
