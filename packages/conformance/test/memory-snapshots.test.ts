import {
  MemoryCheckpointStore,
  MemoryDeadLetterStore,
  MemoryKeyStore,
  MemorySnapshotStore,
} from '@strata/store-memory';
import {
  describeCheckpointStore,
  describeDeadLetterStore,
  describeKeyStore,
  describeSnapshotStore,
} from '../src/index.js';

describeSnapshotStore('MemorySnapshotStore', { create: async () => new MemorySnapshotStore() });
describeCheckpointStore('MemoryCheckpointStore', { create: async () => new MemoryCheckpointStore() });
describeDeadLetterStore('MemoryDeadLetterStore', { create: async () => new MemoryDeadLetterStore() });
describeKeyStore('MemoryKeyStore', { create: async () => new MemoryKeyStore() });
