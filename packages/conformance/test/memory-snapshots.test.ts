import { MemoryCheckpointStore, MemoryKeyStore, MemorySnapshotStore } from '@strata/store-memory';
import { describeCheckpointStore, describeKeyStore, describeSnapshotStore } from '../src/index.js';

describeSnapshotStore('MemorySnapshotStore', { create: async () => new MemorySnapshotStore() });
describeCheckpointStore('MemoryCheckpointStore', { create: async () => new MemoryCheckpointStore() });
describeKeyStore('MemoryKeyStore', { create: async () => new MemoryKeyStore() });
