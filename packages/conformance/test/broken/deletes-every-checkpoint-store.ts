import type { CheckpointState, CheckpointStore, SaveCheckpointOptions } from '@strata/core';
import { MemoryCheckpointStore } from '@strata/store-memory';

/** `deleteCheckpoint(name)` deletes every name's checkpoint (`DELETE FROM checkpoints` without its WHERE). */
export class DeletesEveryCheckpointStore implements CheckpointStore {
  private readonly inner = new MemoryCheckpointStore();
  private readonly names = new Set<string>();

  loadCheckpoint(name: string): Promise<bigint | undefined> {
    return this.inner.loadCheckpoint(name);
  }

  loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    return this.inner.loadCheckpointState(name);
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    await this.inner.saveCheckpoint(name, position, options);
    this.names.add(name);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.inner.deleteCheckpoint(name);
    for (const other of this.names) await this.inner.deleteCheckpoint(other);
  }
}
