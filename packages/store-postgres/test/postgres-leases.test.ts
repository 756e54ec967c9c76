import { describeLeaseProvider } from '@strata/conformance';
import type { Lease } from '@strata/core';
import { afterEach, expect, it } from 'vitest';
import { type PostgresEventStore, PostgresLease } from '../src/index.js';
import { describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('PostgresLeaseProvider (store.leases)', () => {
  const env = storeInFreshSchema();
  // A store of its own per provider: two of them are two processes, each with its own connections.
  const stores: PostgresEventStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  describeLeaseProvider('PostgresLeaseProvider', {
    create: async () => {
      const store = await openStore(env.schema, { migrate: false });
      stores.push(store);
      return store.leases;
    },
    // What a killed process leaves: the server ends its session, and the advisory lock with it.
    cut: async (_provider, lease: Lease) => {
      await env.admin.query('SELECT pg_terminate_backend($1)', [(lease as PostgresLease).backendPid]);
    },
  });

  it('closing the store releases its leases, and the fence counter survives it', async () => {
    const store = await openStore(env.schema, { migrate: false });
    const lease = await store.leases.acquire('order-list');
    expect(lease).toBeInstanceOf(PostgresLease);
    await store.close();
    expect(lease?.held).toBe(false);
    const next = await env.store.leases.acquire('order-list');
    expect(next?.fence).toBe(lease!.fence + 1n);
    await next!.release();
    const { rows } = await env.admin.query(
      `SELECT fence::text FROM "${env.schema}".strata_lease_fences WHERE name = 'order-list'`,
    );
    expect(rows).toEqual([{ fence: String(lease!.fence + 1n) }]);
  });
});
