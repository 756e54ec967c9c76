import { assertName, type CheckpointStore, ValidationError } from '@strata/core';

/** Projection checkpoints in memory. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, bigint>();

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    return this.checkpoints.get(name);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    if (typeof position !== 'bigint' || position < 0n)
      throw new ValidationError('position', 'must be a bigint >= 0');
    this.checkpoints.set(name, position);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    this.checkpoints.delete(name);
  }
}
