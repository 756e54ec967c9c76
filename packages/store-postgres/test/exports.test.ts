import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'createPostgresEventStore',
      'PostgresEventStore',
      'PostgresSnapshotStore',
      'PostgresCheckpointStore',
      'PostgresDeadLetterStore',
      'PostgresKeyStore',
      'PostgresLeaseProvider',
      'PostgresLease',
      'PostgresAppendNotifier',
    ],
  },
  {
    roundTrip: {
      label: 'a PostgresEventStore on a schema of its own',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (postgres, load) => {
        const url = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
        const schema = `exports_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
        const store = await postgres.createPostgresEventStore({ connectionString: url, schema });
        const drop = async () => {
          const pg = load.require('pg');
          const admin = new pg.Client({ connectionString: url });
          await admin.connect();
          try {
            await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          } finally {
            await admin.end();
          }
        };
        return { store, drop };
      },
    },
  },
);
