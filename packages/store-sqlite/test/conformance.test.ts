import { describeEventStore } from '@strata/conformance';
import { afterAll } from 'vitest';
import { sqliteKitTarget } from '../src/testing/index.js';

const fresh = sqliteKitTarget({ synchronous: 'FULL' });
// One file for every test, so each runs next to other tests' streams, with the faster durability setting.
const shared = sqliteKitTarget({ sharedFile: true, synchronous: 'NORMAL' });
afterAll(() => {
  fresh.removeFiles();
  shared.removeFiles();
});

describeEventStore('SqliteEventStore, a fresh file per test', fresh);

describeEventStore('SqliteEventStore, one file shared by every test, synchronous NORMAL', {
  ...shared,
  scale: { largeStreamEvents: 2_000, propertyRuns: 10 },
});
