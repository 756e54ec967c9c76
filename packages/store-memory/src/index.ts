export { MemoryCheckpointStore } from './memory-checkpoint-store.js';
export { MemoryDeadLetterStore } from './memory-dead-letter-store.js';
export type { MemoryEventStoreOptions } from './memory-event-store.js';
export { createMemoryEventStore, MemoryEventStore } from './memory-event-store.js';
export { MemoryKeyStore } from './memory-key-store.js';
export { MemoryLeaseProvider, MemoryLeaseTable } from './memory-lease-provider.js';
export { MemorySnapshotStore } from './memory-snapshot-store.js';
export type { MemoryStorageOptions } from './memory-storage.js';
export { MemoryStorage } from './memory-storage.js';
