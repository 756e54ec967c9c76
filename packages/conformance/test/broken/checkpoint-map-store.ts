import {
  assertName,
  type CheckpointState,
  type CheckpointStore,
  type PreparedCheckpointSave,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
} from '@strata/core';

/** A checkpoint store in a map whose subclasses each decide a guarded save wrongly in one way. */
export abstract class CheckpointMapStore implements CheckpointStore {
  protected readonly checkpoints = new Map<string, CheckpointState>();

  /** Checks `save` against the stored state and writes it (or throws the refusal). */
  protected abstract guardedSave(save: PreparedCheckpointSave): Promise<void>;

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    const state = this.checkpoints.get(name);
    return state === undefined ? undefined : { ...state };
  }

  saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    return this.guardedSave(prepareSaveCheckpoint(name, position, options));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    this.checkpoints.delete(name);
  }
}
