import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, migrate } from '../src/index.js';
import { migrateTo } from './migrate-to.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

const EVENT_ROWS = `SELECT position, id, stream_id, stream_type, event_type, data, metadata, version, schema_version,
  occurred_at, recorded_at FROM strata_events ORDER BY position`;

/** A database at the layout of migration 5 (the last release), filled as that release wrote it. */
function releasedDatabase(path: string) {
  const raw = databases.raw(path);
  raw.defaultSafeIntegers(true);
  migrateTo(raw, 5);
  const insertEvent = raw.prepare(
    `INSERT INTO strata_events (id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertStream = raw.prepare(
    `INSERT INTO strata_streams (stream_id, stream_type, version) VALUES (?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`,
  );
  // Positions cross 2^53: the counter starts just below it.
  raw.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('strata_events', ?)").run(2n ** 53n - 3n);
  const streams = ['order-1', 'order-2', 'cart-1'];
  for (let version = 1; version <= 4; version++) {
    for (const stream of streams) {
      const type = stream.startsWith('cart') ? 'cart' : 'order';
      const metadata = version % 2 === 0 ? JSON.stringify({ traceId: `t-${stream}-${version}` }) : '{}';
      insertEvent.run(
        `${stream}-e${version}`,
        stream,
        type,
        `${type}.changed`,
        JSON.stringify({ stream, version, text: 'é \u{1F4A5}' }),
        metadata,
        version,
        version === 4 ? 2 : 1,
        1_700_000_000_000 + version,
        1_700_000_000_100 + version,
      );
      upsertStream.run(stream, type, version);
    }
  }
  // cart-1's newest two events were archived, and with them the newest position of the log.
  raw.exec("DELETE FROM strata_events WHERE stream_id = 'cart-1' AND version >= 3");
  raw.exec(
    `INSERT INTO strata_snapshots (stream_id, version, state_version, state, created_at) VALUES ('order-1', 4, 1, '{"n":4}', 5);
     INSERT INTO strata_checkpoints (name, position, updated_at, fence) VALUES ('orders', ${2n ** 53n + 1n}, 6, 3);`,
  );
  return raw;
}

describe('migration 6 (lean append path) from the released layout', () => {
  it('keeps every event exactly, and appends go on after the highest version and position ever written', async () => {
    const path = databases.path();
    const raw = releasedDatabase(path);
    const before = raw.prepare(EVENT_ROWS).all();
    const lastHandedOut = raw
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'strata_events'")
      .pluck()
      .get();
    expect(lastHandedOut).toBe(2n ** 53n - 3n + 12n);
    expect(before).toHaveLength(10);

    expect(migrate(raw).applied).toEqual([6, 7]);
    expect(migrate(raw).applied).toEqual([]);
    expect(raw.prepare(EVENT_ROWS).all()).toEqual(before);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'strata_streams'").get()).toBeUndefined();

    const store = createSqliteEventStore({ database: path });
    const events = await store.readAll();
    expect(events.map((e) => [e.position, e.id, e.streamId, e.version])).toEqual(
      before.map((row) => {
        const r = row as { position: bigint; id: string; stream_id: string; version: bigint };
        return [r.position, r.id, r.stream_id, Number(r.version)];
      }),
    );
    expect(events.find((e) => e.id === 'order-2-e4')).toMatchObject({
      streamType: 'order',
      type: 'order.changed',
      data: { stream: 'order-2', version: 4, text: 'é \u{1F4A5}' },
      metadata: { traceId: 't-order-2-4' },
      schemaVersion: 2,
      occurredAt: new Date(1_700_000_000_004),
      recordedAt: new Date(1_700_000_000_104),
    });
    expect(await store.snapshots.loadSnapshot('order-1')).toMatchObject({ version: 4, state: { n: 4 } });
    expect(await store.checkpoints.loadCheckpointState('orders')).toEqual({
      position: 2n ** 53n + 1n,
      fence: 3n,
    });

    // cart-1 was at version 4: the deleted versions and the deleted last position are not reused.
    expect(await store.streamVersion('cart-1')).toBe(4);
    const cart = await store.append('cart-1', [{ type: 'cart.changed', data: {} }], { expectedVersion: 4 });
    expect(cart).toMatchObject({ firstVersion: 5, lastPosition: 2n ** 53n + 10n });
    expect(cart.events?.[0]?.streamType).toBe('cart');
    const order = await store.append('order-1', [{ type: 'order.changed', data: {} }], {
      expectedVersion: 4,
    });
    expect(order).toMatchObject({ firstVersion: 5, lastPosition: 2n ** 53n + 11n });
    // A resend of an event written before the migration is still recognised by its id.
    const resent = await store.append('order-1', [
      {
        id: 'order-1-e1',
        type: 'order.changed',
        data: { stream: 'order-1', version: 1, text: 'é \u{1F4A5}' },
      },
    ]);
    expect(resent.firstVersion).toBe(1);
    await store.close();
  });

  it('migrates an empty released database, and each table prefix on its own', () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrateTo(raw, 5, 'a_');
    migrateTo(raw, 5, 'b_');
    expect(migrate(raw, { tablePrefix: 'a_' }).applied).toEqual([6, 7]);
    expect(raw.prepare('SELECT position FROM a_position_floor').pluck().get()).toBe(0);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'b_streams'").get()).toBeDefined();
    expect(migrate(raw, { tablePrefix: 'b_' }).applied).toEqual([6, 7]);
  });
});
