import { describeSnapshotStore } from '@strata/conformance';
import { MemorySnapshotStore } from '@strata/store-memory';
import { withSnapshotEncryption } from '../src/index.js';
import { conformanceEncryption } from './conformance-encryption.js';

// The snapshot wrapper is a SnapshotStore like any other: the snapshot kit runs over it, with every
// stream its own subject, so every state the kit saves is encrypted and opened again.
describeSnapshotStore('withSnapshotEncryption over MemorySnapshotStore', {
  create: async () =>
    withSnapshotEncryption(new MemorySnapshotStore(), conformanceEncryption(), {
      subjectOf: (streamId) => streamId,
    }),
});
