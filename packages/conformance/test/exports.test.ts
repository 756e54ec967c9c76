import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

// The kit has no store of its own to round-trip; its adapters' exports tests cover that.
describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'describeEventStore',
      'describeSnapshotStore',
      'describeCheckpointStore',
      'describePayloadFidelity',
      'describeValidation',
    ],
  },
  // require() of the kit fails: vitest, which it imports, refuses to be required. The kit is
  // ESM-only in use; once its exports map says so, this option can go.
  { systems: ['import'] },
);
