import { MemoryCheckpointStore, MemoryDeadLetterStore, MemorySnapshotStore } from '@strata/store-memory';
import { describeCheckpointStore, describeDeadLetterStore, describeSnapshotStore } from '../src/index.js';

describeSnapshotStore('MemorySnapshotStore', { create: async () => new MemorySnapshotStore() });
describeCheckpointStore('MemoryCheckpointStore', { create: async () => new MemoryCheckpointStore() });
describeDeadLetterStore('MemoryDeadLetterStore', { create: async () => new MemoryDeadLetterStore() });
