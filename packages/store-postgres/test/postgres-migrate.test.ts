import { StoreUnavailableError, ValidationError } from '@strata/core';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../src/postgres-migrations.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

describePostgres('migrate()', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];
  const fresh = () => {
    const schema = randomSchema();
    schemas.push(schema);
    return schema;
  };

  beforeAll(() => {
    admin = adminPool();
  });

  afterAll(async () => {
    for (const schema of schemas) await dropSchema(admin, schema);
    await admin.end();
  });

  it('four stores migrating one new schema at the same moment apply each version exactly once', async () => {
    const schema = fresh();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openStore(schema, { migrate: false, poolSize: 1 })),
    );
    try {
      const results = await Promise.all(stores.map((store) => store.migrate()));
      expect(results.map((r) => r.applied).sort()).toEqual([[], [], [], [1, 2, 3, 4, 5, 6, 7, 8]]);
      const { rows } = await admin.query(
        `SELECT version FROM "${schema}".strata_migrations ORDER BY version`,
      );
      expect(rows).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
        { version: 6 },
        { version: 7 },
        { version: 8 },
      ]);
      const ids = await Promise.all(stores.map((store) => store.storageId()));
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
      await stores[0]!.append('migrated', [{ type: 't', data: 1 }]);
      expect(await stores[3]!.streamVersion('migrated')).toBe(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('is idempotent: running it again applies nothing', async () => {
    const schema = fresh();
    const store = await openStore(schema);
    try {
      expect(await store.migrate()).toEqual({ applied: [] });
      expect(await store.migrate()).toEqual({ applied: [] });
    } finally {
      await store.close();
    }
  });

  it('with migrate: false, nothing is created until migrate() runs; missing tables are StoreUnavailableError', async () => {
    const schema = fresh();
    const store = await openStore(schema, { migrate: false });
    try {
      const { rows } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      expect(rows).toEqual([]);
      const error = await store.append('s', [{ type: 't', data: 1 }]).catch((e: unknown) => e);
      expect(StoreUnavailableError.isInstance(error), String(error)).toBe(true);
      expect(await store.migrate()).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7, 8] });
      expect(await store.append('s', [{ type: 't', data: 1 }])).toMatchObject({ firstVersion: 1 });
    } finally {
      await store.close();
    }
  });

  it('creates the requested number of hash partitions, and refuses another count later', async () => {
    const schema = fresh();
    const store = await openStore(schema, { partitions: 5 });
    await store.close();
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = $1::regclass`,
      [`"${schema}".strata_events`],
    );
    expect(rows).toEqual([{ n: 5 }]);
    for (const partitions of [4, 6]) {
      const error = await openStore(schema, { partitions }).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      expect((error as ValidationError).path).toBe('options.partitions');
    }
    const unpartitioned = fresh();
    await (await openStore(unpartitioned)).close();
    const error = await openStore(unpartitioned, { partitions: 2 }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    // Opening without the option accepts whatever layout exists.
    await (await openStore(schema)).close();
  });

  it('gives a schema made before storage ids its id on upgrade, keeping its events', async () => {
    const schema = fresh();
    const old = await openStore(schema);
    await old.append('s', [{ type: 't', data: 1 }]);
    await old.close();
    await admin.query(`DROP TABLE "${schema}".strata_storage`);
    await admin.query(`ALTER TABLE "${schema}".strata_checkpoints DROP COLUMN fence`);
    await admin.query(`DROP TABLE "${schema}".strata_dead_letters`);
    await admin.query(`DROP TABLE "${schema}".strata_lease_fences`);
    await admin.query(`DROP TABLE "${schema}".strata_data_keys`);
    await admin.query(`DELETE FROM "${schema}".strata_migrations WHERE version >= 2`);
    const upgraded = await openStore(schema, { migrate: false });
    try {
      expect(await upgraded.migrate()).toEqual({ applied: [2, 3, 4, 5, 6, 7, 8] });
      expect(await upgraded.storageId()).toMatch(/^[0-9a-f]{32}$/);
      expect(await upgraded.streamVersion('s')).toBe(1);
    } finally {
      await upgraded.close();
    }
  });

  it('gives a schema made before checkpoint fences its fence column, keeping its checkpoints', async () => {
    const schema = fresh();
    const old = await openStore(schema);
    await old.checkpoints.saveCheckpoint('orders', 2n ** 62n);
    await old.close();
    await admin.query(`ALTER TABLE "${schema}".strata_checkpoints DROP COLUMN fence`);
    await admin.query(`DROP TABLE "${schema}".strata_dead_letters`);
    await admin.query(`DROP TABLE "${schema}".strata_lease_fences`);
    await admin.query(`DROP TABLE "${schema}".strata_data_keys`);
    await admin.query(`DELETE FROM "${schema}".strata_migrations WHERE version >= 3`);
    const upgraded = await openStore(schema, { migrate: false });
    try {
      expect(await upgraded.migrate()).toEqual({ applied: [3, 4, 5, 6, 7, 8] });
      const { checkpoints } = upgraded;
      expect(await checkpoints.loadCheckpointState('orders')).toEqual({ position: 2n ** 62n, fence: null });
      await checkpoints.saveCheckpoint('orders', 1n, { expectedPosition: 2n ** 62n, fence: 7n });
      expect(await checkpoints.loadCheckpointState('orders')).toEqual({ position: 1n, fence: 7n });
    } finally {
      await upgraded.close();
    }
  });

  it('adds the data-key table to a schema at the lease-fences layout, keeping its dead letters', async () => {
    const schema = fresh();
    const old = await openStore(schema);
    await old.deadLetters.addDeadLetter({
      projector: 'list',
      position: 1n,
      eventId: 'e',
      streamId: 's',
      version: 1,
      eventType: 't',
      error: { name: 'Error', message: 'boom', stack: null },
      attempts: 1,
    });
    await old.close();
    await admin.query(`DROP TABLE "${schema}".strata_data_keys`);
    await admin.query(`DELETE FROM "${schema}".strata_migrations WHERE version >= 6`);
    const upgraded = await openStore(schema, { migrate: false });
    try {
      expect(await upgraded.migrate()).toEqual({ applied: [6, 7, 8] });
      expect(await upgraded.deadLetters.countDeadLetters('list')).toBe(1);
      const key = { subjectId: 'user-1', version: 1, keyId: 'k1', masterKeyId: 'm1', wrappedKey: 'AAAA' };
      expect(await upgraded.keys.createKey(key)).toEqual(key);
    } finally {
      await upgraded.close();
    }
  });

  for (const partitions of [undefined, 3]) {
    it(`drops the type index of a schema at the append-advancing layout (7), keeping every event (partitions: ${partitions})`, async () => {
      const schema = fresh();
      const old = await openStore(schema, { partitions });
      const streams = Array.from({ length: 5 }, (_, i) => `s-${i}`);
      for (const stream of streams) {
        await old.append(stream, [
          { type: 'a', data: 1 },
          { type: 'b', data: 2 },
        ]);
      }
      const before = await old.readAll();
      await old.close();
      // Back to what migration 7 left: the index of migration 1, the function as migration 7 made it.
      const t = tableNames(schema);
      const layout = { partitions };
      await admin.query(`CREATE INDEX strata_events_type_position ON ${t.events} (event_type, position)`);
      for (const text of POSTGRES_MIGRATIONS.find((m) => m.version === 7)!.statements(t, layout)) {
        await admin.query(text);
      }
      await admin.query(`DELETE FROM "${schema}".strata_migrations WHERE version >= 8`);
      expect(await functionSource(schema)).not.toContain('to_regclass');

      const upgraded = await openStore(schema, { partitions, migrate: false });
      try {
        expect(await upgraded.migrate()).toEqual({ applied: [8] });
        const { rows } = await admin.query(
          'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE $2',
          [schema, '%type_position%'],
        );
        expect(rows).toEqual([]);
        expect(await functionSource(schema)).toContain('to_regclass');
        expect(await upgraded.readAll()).toEqual(before);
        expect(await upgraded.readAll({ types: ['b'] })).toEqual(before.filter((e) => e.type === 'b'));
      } finally {
        await upgraded.close();
      }
    });
  }

  async function functionSource(schema: string): Promise<string> {
    const { rows } = await admin.query(
      `SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND p.proname = 'strata_append_advancing'`,
      [schema],
    );
    return rows[0].prosrc;
  }

  it('gives a new schema no type index', async () => {
    const schema = fresh();
    await (await openStore(schema)).close();
    const { rows } = await admin.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'strata_events'`,
      [schema],
    );
    expect(rows.map((row) => row.indexdef).filter((def: string) => def.includes('event_type'))).toEqual([]);
  });

  it('two prefixes in one schema are independent stores', async () => {
    const schema = fresh();
    const a = await openStore(schema, { tablePrefix: 'a_' });
    const b = await openStore(schema, { tablePrefix: 'b_' });
    try {
      await a.append('same-id', [{ type: 't', data: 'a' }]);
      expect(await b.streamVersion('same-id')).toBe(0);
      await b.append('same-id', [{ type: 't', data: 'b' }]);
      expect((await a.readStream('same-id')).map((e) => e.data)).toEqual(['a']);
      expect((await b.readStream('same-id')).map((e) => e.data)).toEqual(['b']);
      expect(await a.storageId()).not.toBe(await b.storageId());
    } finally {
      await a.close();
      await b.close();
    }
  });
});
