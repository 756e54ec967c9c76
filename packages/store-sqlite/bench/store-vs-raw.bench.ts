import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@strata/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, bench, describe } from 'vitest';
import { createSqliteEventStore, migrate } from '../src/index.js';

// The store against better-sqlite3 running the same SQL by hand, both on a file in WAL mode with
// synchronous=NORMAL (with FULL the fsync hides the store's own cost). Targets: appends >= 0.8x
// raw, reads >= 0.9x raw.

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVENTS = 'strata_events';
const STREAMS = 'strata_streams';
const COLUMNS =
  'position, id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at';

function openPair(name: string) {
  const store = createSqliteEventStore({ database: join(dir, `${name}-store.db`), synchronous: 'NORMAL' });
  const rawPath = join(dir, `${name}-raw.db`);
  return { store, rawPath };
}

function rawDriver(path: string) {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const head = db.prepare(`SELECT version, stream_type FROM ${STREAMS} WHERE stream_id = ?`).raw();
  const insert = db.prepare(
    `INSERT INTO ${EVENTS} (id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStream = db.prepare(
    `INSERT INTO ${STREAMS} (stream_id, stream_type, version) VALUES (?, ?, ?)`,
  );
  const updateStream = db.prepare(`UPDATE ${STREAMS} SET version = ? WHERE stream_id = ?`);
  const readStream = db.prepare(
    `SELECT ${COLUMNS} FROM ${EVENTS} WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version LIMIT ?`,
  );
  const readAll = db.prepare(`SELECT ${COLUMNS} FROM ${EVENTS} WHERE position > ? ORDER BY position LIMIT ?`);
  return {
    append(streamId: string, events: { type: string; data: unknown }[]) {
      begin.run();
      const row = head.get(streamId) as [number, string] | undefined;
      const current = row?.[0] ?? 0;
      const now = Date.now();
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        insert.run(
          uuidv7(),
          streamId,
          'default',
          event.type,
          JSON.stringify(event.data),
          '{}',
          current + i + 1,
          1,
          now,
          now,
        );
      }
      if (row === undefined) insertStream.run(streamId, 'default', current + events.length);
      else updateStream.run(current + events.length, streamId);
      commit.run();
    },
    readStream(streamId: string) {
      return (readStream.all(streamId, 1, Number.MAX_SAFE_INTEGER, -1) as Record<string, unknown>[]).map(
        parse,
      );
    },
    readAll(after: number, limit: number) {
      return (readAll.all(after, limit) as Record<string, unknown>[]).map(parse);
    },
  };
}

function parse(row: Record<string, unknown>) {
  return { ...row, data: JSON.parse(row.data as string), metadata: JSON.parse(row.metadata as string) };
}

const payload = { orderId: 'o-1', lines: [{ sku: 'abc', qty: 2, price: 9.99 }], note: 'leave at the door' };
const batch = Array.from({ length: 100 }, (_, i) => ({ type: 'item.added', data: { ...payload, i } }));

describe('append one event', () => {
  const { store, rawPath } = openPair('single');
  const raw = rawDriver(rawPath);
  let n = 0;
  bench('store', async () => {
    await store.append(`s-${n++ % 1000}`, [{ type: 'order.placed', data: payload }]);
  });
  bench('raw', () => {
    raw.append(`s-${n++ % 1000}`, [{ type: 'order.placed', data: payload }]);
  });
});

describe('append 100 events', () => {
  const { store, rawPath } = openPair('batch');
  const raw = rawDriver(rawPath);
  let n = 0;
  bench('store', async () => {
    await store.append(`s-${n++ % 100}`, batch);
  });
  bench('raw', () => {
    raw.append(`s-${n++ % 100}`, batch);
  });
});

describe('read 1,000 events', async () => {
  const { store, rawPath } = openPair('read');
  const raw = rawDriver(rawPath);
  const events = Array.from({ length: 1000 }, (_, i) => ({ type: 'item.added', data: { ...payload, i } }));
  for (let i = 0; i < 10; i++) {
    await store.append('long', events.slice(i * 100, i * 100 + 100));
    raw.append('long', events.slice(i * 100, i * 100 + 100));
  }
  bench('store readStream', async () => {
    await store.readStream('long');
  });
  bench('raw readStream', () => {
    raw.readStream('long');
  });
  bench('store readAll page', async () => {
    await store.readAll({ after: 0n, limit: 1000 });
  });
  bench('raw readAll page', () => {
    raw.readAll(0, 1000);
  });
});
