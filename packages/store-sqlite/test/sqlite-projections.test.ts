import { CheckpointConflictError, type RecordedEvent } from '@strata/core';
import * as projections from '@strata/projections';
import {
  attachRealtimeProjector,
  defineProjector,
  PoisonEventError,
  ProjectionRunner,
  type Projector,
  withRealtimeProjector,
} from '@strata/projections';
import {
  type CounterOptions,
  counted,
  foldCounted as fold,
  projectionExactlyOnceScenarios,
} from '@strata/vitest-preset/projection-exactly-once';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, type SqliteDatabase } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const fast = { baseDelayMs: 0, maxDelayMs: 0 };
type Counted = { type: 'counted'; data: { by: number } };

/**
 * Two store instances (two connections, as two processes would have) over one file, and a read
 * model in the same database: totals per stream, and one row per application of an event, so a
 * double application shows.
 */
async function setup() {
  const path = databases.path();
  const store = createSqliteEventStore({ database: path });
  const peer = createSqliteEventStore({ database: path });
  await store.checkpoints.runInTransaction((tx) => {
    tx.exec(`CREATE TABLE totals (stream_id TEXT PRIMARY KEY, total INTEGER NOT NULL);
             CREATE TABLE applied (event_id TEXT NOT NULL)`);
  });
  const raw = databases.raw(path);
  const readModel = () => ({
    totals: new Map(
      (raw.prepare('SELECT stream_id, total FROM totals').raw().all() as [string, number][]).map(([s, t]) => [
        s,
        t,
      ]),
    ),
    doubles: raw.prepare('SELECT count(*) - count(DISTINCT event_id) FROM applied').pluck().get() as number,
  });
  const checkpointRow = () =>
    raw.prepare("SELECT position FROM strata_checkpoints WHERE name = 'totals'").pluck().get() as
      | number
      | undefined;
  const apply = (tx: SqliteDatabase, event: RecordedEvent, by: number) => {
    tx.prepare(
      `INSERT INTO totals (stream_id, total) VALUES (?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET total = total + excluded.total`,
    ).run(event.streamId, by);
    tx.prepare('INSERT INTO applied (event_id) VALUES (?)').run(event.id);
  };
  const close = async () => {
    await store.close();
    await peer.close();
  };
  return { store, peer, readModel, checkpointRow, apply, close };
}

const scenarios = projectionExactlyOnceScenarios({ CheckpointConflictError, projections, setup });

/** The scenarios' `totals` projector: synchronous here, as SQLite's transactions need. */
const counter = (
  apply: (tx: SqliteDatabase, event: RecordedEvent, by: number) => void,
  options?: CounterOptions,
) => scenarios.counter(apply, options) as Projector<SqliteDatabase>;

describe('ProjectionRunner with transactions (exactly once) on SQLite', () => {
  it('a handler throwing mid-batch leaves the read model and the checkpoint as they were', async () => {
    const { store, readModel, checkpointRow, apply, close } = await setup();
    for (let i = 1; i <= 10; i++) await store.append(`s-${i % 3}`, [counted(i)]);
    let failOnce = true;
    const atFailure: unknown[] = [];
    const projector = counter(apply, { fail: (by) => by === 6 && failOnce });
    const runner = new ProjectionRunner({
      store,
      checkpoints: store.checkpoints,
      transactions: store.checkpoints,
      projector,
      batchSize: 10,
      retry: { ...fast, maxAttempts: 2 },
      onError: (error) => {
        failOnce = false;
        // Events 1 to 5 were written in the same transaction before 6 threw: all rolled back.
        atFailure.push(error, readModel().totals.size, checkpointRow());
      },
    });
    await runner.catchUp();
    expect(atFailure).toEqual([expect.any(Error), 0, undefined]);
    expect(readModel()).toEqual({ totals: await fold(store), doubles: 0 });
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
    await close();
  });

  it('isolates a poison event in fresh transactions: the rest applies once, the checkpoint passes it', async () => {
    const { store, readModel, apply, close } = await setup();
    for (let i = 1; i <= 9; i++) await store.append('s', [counted(i)]);
    const projector = counter(apply, { fail: (by) => by === 4 });
    const runner = new ProjectionRunner({
      store,
      checkpoints: store.checkpoints,
      transactions: store.checkpoints,
      deadLetters: store.deadLetters,
      projector,
      retry: { ...fast, maxAttempts: 1 },
    });
    await runner.catchUp();
    expect(readModel()).toEqual({ totals: new Map([['s', 45 - 4]]), doubles: 0 });
    expect((await store.deadLetters.listDeadLetters('totals')).map((l) => l.position)).toEqual([
      (await store.readAll())[3]!.position,
    ]);
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);

    // With no dead-letter store it stops before the poison event, having committed what came before.
    const { store: other, readModel: otherModel, apply: otherApply, close: closeOther } = await setup();
    for (let i = 1; i <= 5; i++) await other.append('s', [counted(i)]);
    const stopping = new ProjectionRunner({
      store: other,
      checkpoints: other.checkpoints,
      transactions: other.checkpoints,
      projector: counter(otherApply, { fail: (by) => by === 4 }),
      retry: { ...fast, maxAttempts: 1 },
    });
    await expect(stopping.catchUp()).rejects.toSatisfy(PoisonEventError.isInstance);
    expect(otherModel().totals).toEqual(new Map([['s', 6]]));
    expect(await other.checkpoints.loadCheckpoint('totals')).toBe((await other.readAll())[2]!.position);
    await close();
    await closeOther();
  });

  scenarios.runnerRace({ events: 60, batchSize: 3 });
});

describe('attachRealtimeProjector on SQLite (in the append transaction)', () => {
  it('applies with the append and moves the checkpoint; appends of other types cost nothing', async () => {
    const { store, readModel, apply, close } = await setup();
    const realtime = attachRealtimeProjector({
      store,
      checkpoints: store.checkpoints,
      projector: counter(apply),
    });
    await store.append('a', [counted(1), counted(2)]);
    const last = await store.append('b', [counted(3)]);
    await store.append('c', [{ type: 'other', data: {} }]);
    expect(readModel()).toEqual({
      totals: new Map([
        ['a', 3],
        ['b', 3],
      ]),
      doubles: 0,
    });
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe(last.lastPosition);
    expect(realtime.status()).toMatchObject({
      state: 'live',
      checkpoint: last.lastPosition,
      eventsProcessed: 3,
    });
    realtime.detach();
    await store.append('a', [counted(7)]);
    expect(readModel().totals.get('a')).toBe(3);
    // Another database's checkpoints cannot move in this store's append transaction.
    const elsewhere = createSqliteEventStore({ database: databases.path() });
    expect(() =>
      attachRealtimeProjector({ store, checkpoints: elsewhere.checkpoints, projector: counter(apply) }),
    ).toThrow(/store's own store.checkpoints/);
    await elsewhere.close();
    await close();
  });

  it('starts live on a checkpoint reset to 0 before any event of its types', async () => {
    const { store, readModel, apply, close } = await setup();
    await store.append('x', [{ type: 'other', data: {} }]);
    await store.checkpoints.saveCheckpoint('totals', 0n);
    const realtime = attachRealtimeProjector({
      store,
      checkpoints: store.checkpoints,
      projector: counter(apply),
    });
    const { lastPosition } = await store.append('a', [counted(5)]);
    expect(realtime.status()).toMatchObject({ state: 'live', checkpoint: lastPosition });
    expect(readModel().totals.get('a')).toBe(5);
    await close();
  });

  it("a throwing handler rolls the append back, and the append rejects with the handler's error", async () => {
    const { store, readModel, apply, close } = await setup();
    const errors: unknown[] = [];
    attachRealtimeProjector({
      store,
      checkpoints: store.checkpoints,
      projector: counter(apply, { fail: (by) => by === 13 }),
      onError: (error) => errors.push(error),
    });
    await store.append('a', [counted(1)]);
    const rejected = store.append('a', [counted(2), counted(13)]);
    await expect(rejected).rejects.toThrow('cannot count 13');
    expect(errors).toEqual([expect.objectContaining({ message: 'cannot count 13' })]);
    expect(await store.streamVersion('a')).toBe(1);
    expect(readModel().totals).toEqual(new Map([['a', 1]]));
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
    await close();
  });

  it('refuses an async handler on SQLite by rolling the append back', async () => {
    const { store, close } = await setup();
    attachRealtimeProjector({
      store,
      checkpoints: store.checkpoints,
      projector: defineProjector<Counted, SqliteDatabase>({
        name: 'async',
        handlers: { counted: async () => {} },
      }),
    });
    await expect(store.append('a', [counted(1)])).rejects.toThrow(/must be synchronous/);
    expect(await store.streamVersion('a')).toBe(0);
    await close();
  });

  scenarios.behindAfterAWriterWithoutIt();

  it('ends equal to a fold of the log under concurrent appends from two connections', async () => {
    const { store, peer, readModel, apply, close } = await setup();
    const projector = counter(apply);
    const one = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
    const two = attachRealtimeProjector({ store: peer, checkpoints: peer.checkpoints, projector });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? store : peer).append(`s-${i % 5}`, [counted(i)])),
    );
    expect(readModel()).toEqual({ totals: await fold(store), doubles: 0 });
    expect(await store.checkpoints.loadCheckpoint('totals')).toBe((await store.readAll()).at(-1)!.position);
    expect([one.status().state, two.status().state]).toEqual(['live', 'live']);
    await close();
  });
});

describe('withRealtimeProjector with a SQLite read model in another database (after the commit)', () => {
  /** Events in one database; read model and checkpoint in another, exactly once through its transactions. */
  async function elsewhere() {
    const readSide = await setup();
    const events = createSqliteEventStore({ database: databases.path() });
    return { ...readSide, events };
  }

  it('commits each step with its checkpoint; a failure rolls it back and leaves it behind for the catch-up', async () => {
    const { store: readSide, events, readModel, apply, close } = await elsewhere();
    const errors: unknown[] = [];
    let failing = true;
    const projector = counter(apply, { fail: (by) => by === 13 && failing });
    const { store, realtime } = withRealtimeProjector(events, {
      projector,
      checkpoints: readSide.checkpoints,
      transactions: readSide.checkpoints,
      onError: (error) => errors.push(error),
    });
    await store.append('a', [counted(1)]);
    const failed = await store.append('a', [counted(2), counted(13)]); // committed all the same
    expect(await events.streamVersion('a')).toBe(3);
    expect(errors).toHaveLength(1);
    // 2 was applied in the same transaction as 13: rolled back with it.
    expect(readModel().totals.get('a')).toBe(1);
    expect(realtime.status()).toMatchObject({ state: 'behind', behindUntil: failed.lastPosition });
    await store.append('a', [counted(100)]);
    expect(readModel().totals.get('a')).toBe(1);

    failing = false;
    await new ProjectionRunner({
      store: events,
      checkpoints: readSide.checkpoints,
      transactions: readSide.checkpoints,
      projector,
      retry: fast,
    }).catchUp();
    await store.append('a', [counted(1000)]);
    expect(realtime.status().state).toBe('live');
    expect(readModel()).toEqual({ totals: await fold(events), doubles: 0 });
    await events.close();
    await close();
  });

  it('two wrappers (two processes) appending at once never apply an event twice', async () => {
    const { store: readSide, events, readModel, apply, close } = await elsewhere();
    const projector = counter(apply);
    const options = { projector, checkpoints: readSide.checkpoints, transactions: readSide.checkpoints };
    const one = withRealtimeProjector(events, options);
    const two = withRealtimeProjector(events, options);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? one : two).store.append(`s-${i % 3}`, [counted(i)]),
      ),
    );
    expect(readModel()).toEqual({ totals: await fold(events), doubles: 0 });
    expect([one.realtime.status().state, two.realtime.status().state]).toEqual(['live', 'live']);
    await events.close();
    await close();
  });
});
