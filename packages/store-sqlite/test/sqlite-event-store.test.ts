import { ConcurrencyError, DuplicateEventError, StoreClosedError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const event = (type: string, data: unknown = {}) => ({ type, data });

describe('SqliteEventStore', () => {
  it('appends and reads a stream, versions continuing from the current one', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const first = await store.append('order-1', [event('placed', { total: 10 }), event('paid')], {
      streamType: 'order',
    });
    const second = await store.append('order-1', [event('shipped')], { streamType: 'ignored' });
    expect(first).toMatchObject({ streamId: 'order-1', firstVersion: 1, lastVersion: 2 });
    expect(second).toMatchObject({ firstVersion: 3, lastVersion: 3 });
    expect(second.lastPosition).toBe(first.lastPosition + 1n);

    const events = await store.readStream('order-1');
    expect(events.map((e) => [e.type, e.version, e.streamType])).toEqual([
      ['placed', 1, 'order'],
      ['paid', 2, 'order'],
      ['shipped', 3, 'order'],
    ]);
    expect(events[0]?.data).toEqual({ total: 10 });
    expect(typeof events[0]?.position).toBe('bigint');
    expect(await store.streamVersion('order-1')).toBe(3);
    expect(await store.streamVersion('missing')).toBe(0);
    expect(await store.readStream('missing')).toEqual([]);
    await store.close();
  });

  it('reads forward and backward within from/to, applying the limit after ordering', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append(
      's',
      Array.from({ length: 10 }, (_, i) => event(`e${i + 1}`)),
    );
    const versions = async (options: Parameters<typeof store.readStream>[1]) =>
      (await store.readStream('s', options)).map((e) => e.version);
    expect(await versions({ fromVersion: 3, toVersion: 6 })).toEqual([3, 4, 5, 6]);
    expect(await versions({ fromVersion: 3, toVersion: 6, direction: 'backward' })).toEqual([6, 5, 4, 3]);
    expect(await versions({ direction: 'backward', limit: 2 })).toEqual([10, 9]);
    expect(await versions({ fromVersion: 0, limit: 2 })).toEqual([1, 2]);
    expect(await versions({ limit: 0 })).toEqual([]);
    await store.close();
  });

  it('round-trips JSON payloads, metadata, occurredAt and schema versions exactly', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const data = {
      text: 'é "quoted" \u0000 \u{1F600}',
      nested: [1, -0.5, null, true, { deep: [] }],
      big: 2 ** 53 - 1,
    };
    const occurredAt = new Date('2024-02-29T12:34:56.789Z');
    await store.append('s', [{ type: 't', data, metadata: { user: 'u-1' }, occurredAt, schemaVersion: 3 }]);
    const [stored] = await store.readStream('s');
    expect(stored).toMatchObject({ data, metadata: { user: 'u-1' }, schemaVersion: 3 });
    expect(stored?.occurredAt.getTime()).toBe(occurredAt.getTime());
    await store.close();
  });

  it('checks the expected version and refuses stale appends with ConcurrencyError', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append('s', [event('a')], { expectedVersion: 'no_stream' });
    await expect(store.append('s', [event('b')], { expectedVersion: 'no_stream' })).rejects.toSatisfy(
      (e: unknown) => ConcurrencyError.isInstance(e) && e.actualVersion === 1,
    );
    await expect(store.append('other', [event('b')], { expectedVersion: 'stream_exists' })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    await store.append('s', [event('b')], { expectedVersion: 1 });
    expect(await store.streamVersion('s')).toBe(2);
    await store.close();
  });

  it('returns the events an append wrote, and none for a retry, which wrote nothing', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append('s', [event('first')], { streamType: 'order' });
    const batch = [
      { id: 'id-1', ...event('a', { n: 1 }) },
      { id: 'id-2', ...event('b') },
    ];
    const written = await store.append('s', batch, { streamType: 'ignored' });
    expect(written.events).toEqual(await store.readStream('s', { fromVersion: 2 }));
    const retried = await store.append('s', batch);
    expect(retried).toEqual(written);
    expect(retried.events).toBeUndefined();
    await store.close();
  });

  it('returns the original result for an exact retry, even with a stale expected version', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const batch = [
      { id: 'id-1', ...event('a') },
      { id: 'id-2', ...event('b') },
    ];
    const original = await store.append('s', batch, { expectedVersion: 'no_stream' });
    expect(await store.append('s', batch, { expectedVersion: 'no_stream' })).toEqual(original);
    expect(await store.append('s', batch)).toEqual(original);
    expect(await store.readStream('s')).toHaveLength(2);

    // The tail of the original batch on its own, at its own versions, is the same append retried.
    expect(await store.append('s', [{ id: 'id-2', ...event('b') }])).toMatchObject({ firstVersion: 2 });
    await expect(store.append('s', [batch[1]!, batch[0]!])).rejects.toSatisfy(DuplicateEventError.isInstance);
    await expect(store.append('other', batch)).rejects.toSatisfy(DuplicateEventError.isInstance);
    await expect(store.append('s', [{ id: 'new', ...event('c') }, batch[0]!])).rejects.toSatisfy(
      DuplicateEventError.isInstance,
    );
    expect(await store.streamVersion('s')).toBe(2);
    expect(await store.streamVersion('other')).toBe(0);
    await store.close();
  });

  it('reads many streams in chunks, with every requested id as a key', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const ids = Array.from({ length: 1300 }, (_, i) => `stream-${i}`);
    for (const id of ids.slice(0, 1200)) await store.append(id, [event('a'), event('b')]);
    const result = await store.readStreams([...ids, 'stream-3'], { fromVersion: 2 });
    expect(result.size).toBe(1300);
    expect(result.get('stream-1199')?.map((e) => e.version)).toEqual([2]);
    expect(result.get('stream-1250')).toEqual([]);
    expect([...result.keys()].slice(0, 2)).toEqual(['stream-0', 'stream-1']);
    await store.close();
  });

  it('reads the global log after a position, by type, with a limit', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append('a', [event('x'), event('y'), event('x')]);
    await store.append('b', [event('z'), event('x')]);
    const all = await store.readAll();
    expect(all.map((e) => e.type)).toEqual(['x', 'y', 'x', 'z', 'x']);
    const after = all[1]!.position;
    expect((await store.readAll({ after, limit: 2 })).map((e) => e.position)).toEqual([
      after + 1n,
      after + 2n,
    ]);
    expect((await store.readAll({ types: ['x', 'z'], limit: 3 })).map((e) => e.type)).toEqual([
      'x',
      'x',
      'z',
    ]);
    expect(await store.readAll({ types: [] })).toEqual([]);
    expect(await store.readAll({ after: 2n ** 64n })).toEqual([]);
    // More types than one IN list holds: the chunks are merged back into position order.
    const manyTypes = [...Array.from({ length: 700 }, (_, i) => `t${i}`), 'z', 'y'];
    expect((await store.readAll({ types: manyTypes, limit: 2 })).map((e) => e.type)).toEqual(['y', 'z']);
    await store.close();
  });

  it('keeps positions exact beyond 2^53 and never reuses one after deletes', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event('a')]);
    const raw = databases.raw(path);
    raw.prepare('UPDATE strata_position_floor SET position = ?').run(2n ** 53n + 10n);
    const result = await store.append('s', [event('b'), event('c')]);
    expect(result.lastPosition).toBe(2n ** 53n + 12n);
    expect((await store.readAll({ after: 2n ** 53n + 10n })).map((e) => e.position)).toEqual([
      2n ** 53n + 11n,
      2n ** 53n + 12n,
    ]);
    expect((await store.readStream('s', { direction: 'backward', limit: 1 }))[0]?.position).toBe(
      2n ** 53n + 12n,
    );

    raw.prepare('DELETE FROM strata_events WHERE position > 1').run();
    const next = await store.append('t', [event('d')]);
    expect(next.lastPosition).toBe(2n ** 53n + 13n);
    await store.close();
  });

  it('writes a batch larger than one INSERT statement whole, or nothing of it', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append('before', [event('a')]);
    // 600 events take three statements (256, 256 and 88 rows) in one transaction.
    const batch = Array.from({ length: 600 }, (_, n) => ({ id: `big-${n}`, type: 't', data: { n } }));
    const taken = { id: 'taken', type: 't', data: {} };
    await store.append('other', [taken]);
    await expect(store.append('big', [...batch.slice(0, 599), taken])).rejects.toSatisfy(
      DuplicateEventError.isInstance,
    );
    expect(await store.streamVersion('big')).toBe(0);
    const result = await store.append('big', batch);
    expect(result).toMatchObject({ firstVersion: 1, lastVersion: 600, lastPosition: 602n });
    const read = await store.readStream('big');
    expect(read.map((e) => e.version)).toEqual(batch.map((_, n) => n + 1));
    expect(read.map((e) => e.position)).toEqual(batch.map((_, n) => BigInt(n + 3)));
    expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    expect(read[599]?.data).toEqual({ n: 599 });
    await store.close();
  });

  it('never reuses a version or loses a stream type after its newest events are deleted', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event('a'), event('b'), event('c')], { streamType: 'order' });
    await store.append('t', [event('d')]);
    const raw = databases.raw(path);
    raw.prepare("DELETE FROM strata_events WHERE stream_id = 's' AND version >= 2").run();
    expect(await store.streamVersion('s')).toBe(3);
    await expect(store.append('s', [event('e')], { expectedVersion: 1 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    raw.prepare("DELETE FROM strata_events WHERE stream_id = 's'").run();
    expect(await store.streamVersion('s')).toBe(3);
    const next = await store.append('s', [event('e')], { expectedVersion: 3 });
    expect(next.events?.[0]).toMatchObject({ version: 4, streamType: 'order' });
    // Deleting old events (archival) writes nothing to the deleted heads.
    raw.prepare("DELETE FROM strata_events WHERE stream_id = 's' AND version = 4").run();
    await store.append('t', [event('f'), event('g')]);
    raw.prepare("DELETE FROM strata_events WHERE stream_id = 't' AND version = 1").run();
    expect(raw.prepare('SELECT stream_id, version FROM strata_deleted_heads').all()).toEqual([
      { stream_id: 's', version: 4 },
    ]);
    await store.close();
  });

  it('handles hostile stream ids, types and event ids as plain data', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const hostile = [
      "'; DROP TABLE strata_events; --",
      '") OR 1=1 --',
      'back\\slash %_ * ? [x]',
      'emoji \u{1F4A5} and RTL \u202e text',
      ' ',
      'x'.repeat(255),
    ];
    for (const id of hostile) {
      await store.append(id, [{ id, type: id, data: { id } }], { streamType: id });
    }
    for (const id of hostile) {
      const [stored] = await store.readStream(id);
      expect(stored).toMatchObject({ id, streamId: id, streamType: id, type: id, data: { id } });
      expect(await store.streamVersion(id)).toBe(1);
    }
    const many = await store.readStreams(hostile);
    expect(hostile.map((id) => many.get(id)?.length)).toEqual(hostile.map(() => 1));
    expect((await store.readAll({ types: [hostile[0]!] })).map((e) => e.streamId)).toEqual([hostile[0]]);
    // U+0000 fits in SQLite, but not in every store, so the contract refuses it in names everywhere.
    await expect(store.append('nul\u0000byte', [{ type: 't', data: 1 }])).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await store.close();
  });

  it('validates input before writing anything', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await expect(store.append('', [event('a')])).rejects.toSatisfy(ValidationError.isInstance);
    await expect(store.append('s', [event('a'), event('b', { bad: 1n })])).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(store.readStream('s', { limit: -1 })).rejects.toSatisfy(ValidationError.isInstance);
    await expect(store.readAll({ after: -1n })).rejects.toSatisfy(ValidationError.isInstance);
    expect(await store.streamVersion('s')).toBe(0);
    await store.close();
  });

  it('throws StoreClosedError after close, and close is idempotent', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.append('s', [event('a')]);
    await store.close();
    await store.close();
    for (const call of [
      () => store.append('s', [event('b')]),
      () => store.readStream('s'),
      () => store.readStreams(['s']),
      () => store.readAll(),
      () => store.streamVersion('s'),
      () => store.snapshots.loadSnapshot('s'),
      () => store.checkpoints.loadCheckpoint('p'),
    ]) {
      await expect(call()).rejects.toSatisfy(StoreClosedError.isInstance);
    }
  });

  it('works on :memory:', async () => {
    const store = createSqliteEventStore({ database: ':memory:' });
    await store.append('s', [event('a')]);
    expect(await store.readStream('s')).toHaveLength(1);
    await store.close();
  });

  it('lets two stores on one file see each other and race on versions', async () => {
    const path = databases.path();
    const one = createSqliteEventStore({ database: path });
    const two = createSqliteEventStore({ database: path });
    await one.append('s', [event('a')]);
    expect(await two.streamVersion('s')).toBe(1);
    await two.append('s', [event('b')], { expectedVersion: 1 });
    await expect(one.append('s', [event('c')], { expectedVersion: 1 })).rejects.toSatisfy(
      (e: unknown) => ConcurrencyError.isInstance(e) && e.actualVersion === 2,
    );
    expect((await one.readAll()).map((e) => e.type)).toEqual(['a', 'b']);
    await one.close();
    await two.close();
  });
});
