import { describeLeaseProvider } from '@strata/conformance';
import type { Lease } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { MysqlLease } from '../src/index.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('MysqlLeaseProvider (store.leases)', () => {
  const tables = useTestTables();

  describeLeaseProvider('MysqlLeaseProvider', {
    // A store of its own per provider: two of them are two processes, each with its own connections.
    create: async () => tables.open().leases,
    // What a killed process leaves: the server ends its session, and GET_LOCK's lock with it.
    cut: async (_provider, lease: Lease) => {
      const admin = await tables.raw();
      await admin.query(`KILL ${(lease as MysqlLease).connectionId}`);
    },
  });

  it('closing the store releases its leases; the fence counter survives it', async () => {
    const store = tables.open();
    const lease = await store.leases.acquire('order-list');
    expect(lease).toBeInstanceOf(MysqlLease);
    await store.close();
    expect(lease?.held).toBe(false);
    const next = await tables.open().leases.acquire('order-list');
    expect(next?.fence).toBe(lease!.fence + 1n);
    await next!.release();
  });
});
