import {
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  normalizeDeleteSnapshots,
  normalizeListSnapshotStreams,
  normalizeLoadSnapshot,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';

interface SavedSnapshot {
  stateVersion: number;
  stateJson: string;
  createdAt: number;
}

/** Snapshots in memory, one per (stream, version): the reference for the snapshot contract. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<string, Map<number, SavedSnapshot>>();

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const { streamId, version, stateVersion, stateJson, createdAt } = prepareSnapshot(snapshot);
    const byVersion = this.snapshots.get(streamId) ?? new Map<number, SavedSnapshot>();
    byVersion.set(version, { stateVersion, stateJson, createdAt: createdAt.getTime() });
    this.snapshots.set(streamId, byVersion);
  }

  async loadSnapshot(streamId: string, options?: LoadSnapshotOptions): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    let bestVersion = -1;
    let best: SavedSnapshot | undefined;
    for (const [version, saved] of this.snapshots.get(streamId) ?? []) {
      if (version > maxVersion || version <= bestVersion) continue;
      if (stateVersion !== undefined && saved.stateVersion !== stateVersion) continue;
      bestVersion = version;
      best = saved;
    }
    if (best === undefined) return undefined;
    return {
      streamId,
      version: bestVersion,
      stateVersion: best.stateVersion,
      state: JSON.parse(best.stateJson),
      createdAt: new Date(best.createdAt),
    };
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    const { after, limit } = normalizeListSnapshotStreams(options);
    const ids = [...this.snapshots].filter(
      ([id, byVersion]) => byVersion.size > 0 && (after === undefined || id > after),
    );
    return ids
      .map(([id]) => id)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit);
  }

  async deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    const byVersion = this.snapshots.get(streamId);
    if (byVersion === undefined) return 0;
    let deleted = 0;
    for (const version of [...byVersion.keys()]) {
      if (beforeVersion === undefined || version < beforeVersion) {
        byVersion.delete(version);
        deleted++;
      }
    }
    return deleted;
  }
}
