import type { ListSnapshotStreamsOptions, LoadSnapshotOptions, Snapshot, SnapshotStore } from '@strata/core';
import { MemorySnapshotStore } from '@strata/store-memory';

/** Given both `stateVersion` and `maxVersion`, `loadSnapshot` applies only `maxVersion`. */
export class OneSnapshotFilterStore implements SnapshotStore {
  private readonly inner = new MemorySnapshotStore();

  saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    return this.inner.saveSnapshot(snapshot);
  }

  loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const both = options.stateVersion !== undefined && options.maxVersion !== undefined;
    return this.inner.loadSnapshot(streamId, both ? { maxVersion: options.maxVersion } : options);
  }

  deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number> {
    return this.inner.deleteSnapshots(streamId, options);
  }

  listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    return this.inner.listSnapshotStreams(options);
  }
}
