import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': ['createSqliteEventStore', 'SqliteEventStore', 'migrate', 'DEFAULT_TABLE_PREFIX'],
    './testing': [
      'sqliteKitTarget',
      'prepareKitDatabase',
      'raisePositionFloor',
      'holdWriteLock',
      'kitFiles',
      'REFUSED_EVENT_TYPE',
    ],
  },
  {
    roundTrip: {
      label: 'a SqliteEventStore in memory',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (sqlite) => ({ store: sqlite.createSqliteEventStore({ database: ':memory:' }) }),
    },
  },
);
