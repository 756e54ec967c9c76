import type { ListSnapshotStreamsOptions, LoadSnapshotOptions, Snapshot, SnapshotStore } from '@strata/core';
import { MemorySnapshotStore } from '@strata/store-memory';

/** `deleteSnapshots` forgets its stream (`DELETE ... WHERE version < ?`): it deletes every stream's snapshots. */
export class DeletesAcrossStreamsSnapshotStore implements SnapshotStore {
  private readonly inner = new MemorySnapshotStore();
  private readonly streams = new Set<string>();

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    await this.inner.saveSnapshot(snapshot);
    this.streams.add(snapshot.streamId);
  }

  loadSnapshot(streamId: string, options?: LoadSnapshotOptions): Promise<Snapshot | undefined> {
    return this.inner.loadSnapshot(streamId, options);
  }

  async deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number> {
    const deleted = await this.inner.deleteSnapshots(streamId, options);
    for (const other of this.streams) {
      // The other streams' rows go too, uncounted: the query counted only what it meant to delete.
      if (other !== streamId) await this.inner.deleteSnapshots(other, options);
    }
    return deleted;
  }

  listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    return this.inner.listSnapshotStreams(options);
  }
}
