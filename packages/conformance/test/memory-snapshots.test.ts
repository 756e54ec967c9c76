import { MemoryCheckpointStore, MemorySnapshotStore } from '@strata/store-memory';
import { describeCheckpointStore, describeSnapshotStore } from '../src/index.js';

describeSnapshotStore('MemorySnapshotStore', { create: async () => new MemorySnapshotStore() });
describeCheckpointStore('MemoryCheckpointStore', { create: async () => new MemoryCheckpointStore() });
