import { assertCheckpointPosition, assertName, type CheckpointStore } from '@strata/core';

/** Projection checkpoints in memory. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, bigint>();

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    return this.checkpoints.get(name);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    assertCheckpointPosition(position);
    this.checkpoints.set(name, position);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    this.checkpoints.delete(name);
  }
}
