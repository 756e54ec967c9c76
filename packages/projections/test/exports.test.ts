import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'defineProjector',
      'ProjectionRunner',
      'PoisonEventError',
      'wakeOnAppend',
      'isTransient',
      'attachRealtimeProjector',
      'withRealtimeProjector',
    ],
  },
  { errorClasses: { '.': ['PoisonEventError'] } },
);
