import {
  assertName,
  assertVersion,
  type LoadSnapshotOptions,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';

/** Snapshots in memory, keyed by stream and version. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<
    string,
    Map<number, { json: string; stateVersion: number; createdAt: Date }>
  >();

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    assertName(snapshot.streamId, 'snapshot.streamId');
    assertVersion(snapshot.version, 'snapshot.version');
    assertVersion(snapshot.stateVersion, 'snapshot.stateVersion');
    const byVersion = this.snapshots.get(snapshot.streamId) ?? new Map();
    byVersion.set(snapshot.version, {
      json: JSON.stringify(snapshot.state),
      stateVersion: snapshot.stateVersion,
      createdAt: snapshot.createdAt ?? new Date(),
    });
    this.snapshots.set(snapshot.streamId, byVersion);
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const byVersion = this.snapshots.get(streamId);
    if (byVersion === undefined) return undefined;
    let best: Snapshot | undefined;
    for (const [version, saved] of byVersion) {
      if (options.stateVersion !== undefined && saved.stateVersion !== options.stateVersion) continue;
      if (options.maxVersion !== undefined && version > options.maxVersion) continue;
      if (best !== undefined && best.version >= version) continue;
      best = {
        streamId,
        version,
        stateVersion: saved.stateVersion,
        state: JSON.parse(saved.json),
        createdAt: saved.createdAt,
      };
    }
    return best;
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const byVersion = this.snapshots.get(streamId);
    if (byVersion === undefined) return 0;
    let deleted = 0;
    for (const version of [...byVersion.keys()]) {
      if (options.beforeVersion === undefined || version < options.beforeVersion) {
        byVersion.delete(version);
        deleted++;
      }
    }
    return deleted;
  }
}
