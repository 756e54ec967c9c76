import {
  assertName,
  type CheckpointState,
  type CheckpointStore,
  checkpointAfter,
  checkpointRefusal,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
} from '@strata/core';

/**
 * Projection checkpoints in memory. Each save checks its guards and writes without an `await` in
 * between, so no other call can slip in.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, CheckpointState>();

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    const state = this.checkpoints.get(name);
    return state === undefined ? undefined : { ...state };
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    const current = this.checkpoints.get(name);
    const refusal = checkpointRefusal(save, current);
    if (refusal !== undefined) throw refusal;
    this.checkpoints.set(name, checkpointAfter(save, current));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    this.checkpoints.delete(name);
  }
}
