import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(fileURLToPath(new URL('..', import.meta.url)), {
  '.': [
    'snapshotting',
    'everyNEvents',
    'timeBased',
    'adaptive',
    'adaptiveThreshold',
    'anyOf',
    'allOf',
    'never',
    'pruneSnapshots',
  ],
});
