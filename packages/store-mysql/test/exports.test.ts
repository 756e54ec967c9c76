import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(fileURLToPath(new URL('..', import.meta.url)), {
  '.': [
    'createMysqlEventStore',
    'MysqlEventStore',
    'MysqlSnapshotStore',
    'MysqlCheckpointStore',
    'migrate',
    'DEFAULT_TABLE_PREFIX',
  ],
});
