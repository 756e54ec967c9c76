import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'MemoryEventStore',
      'MemoryStorage',
      'createMemoryEventStore',
      'MemorySnapshotStore',
      'MemoryCheckpointStore',
      'MemoryDeadLetterStore',
      'MemoryKeyStore',
      'MemoryLeaseProvider',
      'MemoryLeaseTable',
    ],
    './testing': ['memoryKitTarget'],
  },
  {
    roundTrip: {
      label: 'a MemoryEventStore',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (memory) => ({ store: memory.createMemoryEventStore() }),
    },
  },
);
