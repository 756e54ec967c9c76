import { ConcurrencyError, type RecordedEvent, StoreUnavailableError } from '@strata/core';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const event = (type: string, data: unknown = {}) => ({ type, data });

/** A store over a caller's Database with a read model table that hooks write to. */
function setup() {
  const db = databases.raw(databases.path());
  db.exec('CREATE TABLE order_totals (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL)');
  const store = createSqliteEventStore({ database: db });
  const count = (streamId: string) =>
    db.prepare('SELECT events FROM order_totals WHERE stream_id = ?').pluck().get(streamId) as
      | number
      | undefined;
  const project = ({ db: tx, events }: { db: BetterSqlite3.Database; events: readonly RecordedEvent[] }) => {
    for (const e of events) {
      tx.prepare(
        `INSERT INTO order_totals (stream_id, events) VALUES (?, 1)
         ON CONFLICT (stream_id) DO UPDATE SET events = events + 1`,
      ).run(e.streamId);
    }
  };
  return { db, store, count, project };
}

describe('onAppend hooks', () => {
  it('run inside the append transaction with the events as readers will see them', async () => {
    const { store, count, project } = setup();
    const seen: RecordedEvent[] = [];
    store.onAppend(project);
    store.onAppend(({ events }) => {
      seen.push(...events);
    });
    await store.append('order-1', [event('placed', { total: 5 }), event('paid')], { streamType: 'order' });
    await store.append('order-1', [event('shipped')]);
    expect(count('order-1')).toBe(3);
    expect(seen).toEqual(await store.readAll());
    await store.close();
  });

  it('see the same events the append returns', async () => {
    const { store } = setup();
    let seen: readonly RecordedEvent[] = [];
    store.onAppend(({ events }) => {
      seen = events;
    });
    const result = await store.append('order-1', [event('placed'), event('paid')]);
    expect(result.events).toBe(seen);
    expect(seen).toEqual(await store.readStream('order-1'));
    await store.close();
  });

  it('roll the whole append back when one throws, and the error reaches the caller unchanged', async () => {
    const { store, count, project } = setup();
    store.onAppend(project);
    const failure = new Error('read model rejected the event');
    const unsubscribe = store.onAppend(({ events }) => {
      if (events.some((e) => e.type === 'bad')) throw failure;
    });
    await store.append('s', [event('good')]);
    await expect(store.append('s', [event('good'), event('bad')])).rejects.toBe(failure);
    expect(await store.streamVersion('s')).toBe(1);
    expect(count('s')).toBe(1);
    expect(await store.readAll()).toHaveLength(1);

    unsubscribe();
    unsubscribe();
    await store.append('s', [event('bad')]);
    expect(count('s')).toBe(2);
    await store.close();
  });

  it('pass a driver error thrown by a hook through as is, not as a store outage', async () => {
    const { store } = setup();
    store.onAppend(({ db }) => {
      db.prepare('INSERT INTO missing_table VALUES (1)').run();
    });
    const error = await store.append('s', [event('a')]).catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ code: 'SQLITE_ERROR' });
    expect(await store.streamVersion('s')).toBe(0);
    await store.close();
  });

  it('must be synchronous: a hook returning a Promise rolls the append back with a TypeError', async () => {
    const { store, count, project } = setup();
    store.onAppend(project);
    store.onAppend(async () => {});
    await expect(store.append('s', [event('a')])).rejects.toThrow(TypeError);
    await expect(store.append('s', [event('a')])).rejects.toThrow(/must be synchronous/);
    expect(await store.streamVersion('s')).toBe(0);
    expect(count('s')).toBeUndefined();
    await store.close();
  });

  it('do not run for idempotent retries or refused appends', async () => {
    const { store } = setup();
    let calls = 0;
    store.onAppend(() => {
      calls++;
    });
    const batch = [{ id: 'e-1', ...event('a') }];
    await store.append('s', batch, { expectedVersion: 'no_stream' });
    await store.append('s', batch, { expectedVersion: 'no_stream' });
    await store.append('s', batch);
    await expect(store.append('s', [event('b')], { expectedVersion: 0 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    expect(calls).toBe(1);
    await store.close();
  });

  it('get the connection of a store that opened its own file', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    let inTransaction = false;
    store.onAppend(({ db }) => {
      inTransaction = db.inTransaction;
    });
    await store.append('s', [event('a')]);
    expect(inTransaction).toBe(true);
    await store.close();
  });

  it('reject anything but a function', () => {
    const store = createSqliteEventStore({ database: ':memory:' });
    expect(() => store.onAppend('nope' as never)).toThrow(/must be a function/);
  });
});
