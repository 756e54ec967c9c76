import { StoreClosedError, ValidationError } from '@strata/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore, type PostgresStoreOptions } from '../src/index.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  PG_URL,
  randomSchema,
} from './support/postgres-test-env.js';

async function expectInvalid(options: PostgresStoreOptions, path: string): Promise<void> {
  const error = await createPostgresEventStore(options).catch((e: unknown) => e);
  expect(ValidationError.isInstance(error), String(error)).toBe(true);
  expect((error as ValidationError).path).toBe(path);
}

describe('options are validated before anything connects', () => {
  const url = 'postgres://nobody@127.0.0.1:1/none';

  it('needs exactly one of connectionString and pool', async () => {
    await expectInvalid({}, 'options');
    await expectInvalid({ connectionString: url, pool: new pg.Pool() }, 'options');
    await expectInvalid({ connectionString: '' }, 'options.connectionString');
    await expectInvalid({ pool: {} as pg.Pool }, 'options.pool');
  });

  it('refuses table prefixes and schemas that are not plain identifiers', async () => {
    for (const bad of [
      '',
      'a-b',
      'a"b',
      "a'b",
      'x; DROP TABLE t; --',
      'ü_',
      '1abc',
      'a b',
      'x'.repeat(32),
      'a\\b',
    ]) {
      await expectInvalid({ connectionString: url, tablePrefix: bad }, 'options.tablePrefix');
      await expectInvalid({ connectionString: url, schema: bad }, 'options.schema');
    }
  });

  it('refuses bad sizes, timeouts and partition counts', async () => {
    await expectInvalid({ connectionString: url, poolSize: 0 }, 'options.poolSize');
    await expectInvalid({ connectionString: url, batchSize: 1.5 }, 'options.batchSize');
    await expectInvalid({ connectionString: url, statementTimeout: -1 }, 'options.statementTimeout');
    await expectInvalid({ connectionString: url, connectionTimeout: 0 }, 'options.connectionTimeout');
    for (const partitions of [0, -1, 2.5, 1025]) {
      await expectInvalid({ connectionString: url, partitions }, 'options.partitions');
    }
  });

  it('refuses a typeIndex that is not a boolean', async () => {
    for (const typeIndex of ['true', 1, null, {}]) {
      await expectInvalid(
        { connectionString: url, typeIndex: typeIndex as unknown as boolean },
        'options.typeIndex',
      );
    }
  });
});

describePostgres('pools and names', () => {
  const schema = randomSchema();
  let admin: pg.Pool;

  beforeAll(async () => {
    admin = adminPool();
    await (await openStore(schema)).close();
  });

  afterAll(async () => {
    await dropSchema(admin, schema);
    await admin.end();
  });

  it('never ends a pool the caller passed in, and keeps the pool type parsers as they were', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
    try {
      const store = await createPostgresEventStore({ pool, schema });
      await store.append('caller-pool', [{ type: 't', data: { n: 1 } }]);
      expect(await store.readStream('caller-pool')).toHaveLength(1);
      await store.close();
      const { rows } = await pool.query(`SELECT data, position FROM "${schema}".strata_events LIMIT 1`);
      // pg's own defaults still apply on the caller's pool: json parsed, int8 as string.
      expect(typeof rows[0].data).toBe('object');
      expect(typeof rows[0].position).toBe('string');
      await expect(store.readStream('caller-pool')).rejects.toSatisfy(StoreClosedError.isInstance);
    } finally {
      await pool.end();
    }
  });

  it('ends the pool it created on close()', async () => {
    const store = await openStore(schema);
    const pool = (store as unknown as { connection: { pool: pg.Pool } }).connection.pool;
    await store.close();
    expect(pool.ended).toBe(true);
    await store.close();
  });

  it('appends queued before close() complete; calls after it reject with StoreClosedError', async () => {
    const store = await openStore(schema);
    const appends = Array.from({ length: 5 }, (_, i) =>
      store.append(`closing-${schema}`, [{ type: 't', data: i }]),
    );
    const closed = store.close();
    await expect(store.append('late', [{ type: 't', data: 1 }])).rejects.toSatisfy(
      StoreClosedError.isInstance,
    );
    const results = await Promise.all(appends);
    await closed;
    expect(results.map((r) => r.lastVersion).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('names PostgreSQL text cannot hold are a ValidationError, not a driver error', async () => {
    const store = await openStore(schema);
    try {
      const cases: [string, () => Promise<unknown>][] = [
        ['streamId', () => store.append('nul\u0000id', [{ type: 't', data: 1 }])],
        ['events[0].type', () => store.append('ok', [{ type: 'lone\uD800', data: 1 }])],
        ['events[0].id', () => store.append('ok', [{ id: '\uDC00x', type: 't', data: 1 }])],
        ['options.streamType', () => store.append('ok', [{ type: 't', data: 1 }], { streamType: 'a\u0000' })],
        ['streamId', () => store.readStream('nul\u0000id')],
      ];
      for (const [path, call] of cases) {
        const error = await call().catch((e: unknown) => e);
        expect(ValidationError.isInstance(error), `${path}: ${String(error)}`).toBe(true);
        expect((error as ValidationError).path).toBe(path);
      }
      expect(await store.streamVersion('ok')).toBe(0);
      // In JSON payloads both are fine: JSON escapes them.
      await store.append('ok', [{ type: 't', data: { s: 'nul\u0000 lone\uD800' } }]);
      expect((await store.readStream('ok'))[0]?.data).toEqual({ s: 'nul\u0000 lone\uD800' });
    } finally {
      await store.close();
    }
  });
});
