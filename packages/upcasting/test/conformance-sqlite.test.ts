import { describeEventStore } from '@strata/conformance';
import { sqliteKitTarget } from '@strata/store-sqlite/testing';
import { afterAll } from 'vitest';
import { withUpcasting } from '../src/index.js';
import { conformanceChain } from './conformance-chain.js';

// The wrapper over a real database, with every optional topic the SQLite adapter's own run has.
const target = sqliteKitTarget({ wrap: (store) => withUpcasting(store, conformanceChain) });
afterAll(target.removeFiles);

describeEventStore('withUpcasting over SqliteEventStore', {
  ...target,
  scale: { largeStreamEvents: 2_000, propertyRuns: 10 },
});
