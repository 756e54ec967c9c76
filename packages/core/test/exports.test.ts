import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(fileURLToPath(new URL('..', import.meta.url)), {
  '.': [
    'AggregateRepository',
    'AggregateRoot',
    'ConcurrencyError',
    'EventRegistry',
    'prepareAppend',
    'withRecordedEvents',
    'iterateAll',
  ],
  './testing': ['given'],
});
