import { checkpointAfter, checkpointRefusal, type PreparedCheckpointSave } from '@strata/core';
import { CheckpointMapStore } from './checkpoint-map-store.js';

/** Refuses fences below the first one that wrote, but never records a higher one after it. */
export class KeepsFirstFenceCheckpointStore extends CheckpointMapStore {
  protected async guardedSave(save: PreparedCheckpointSave): Promise<void> {
    const current = this.checkpoints.get(save.name);
    const refusal = checkpointRefusal(save, current);
    if (refusal !== undefined) throw refusal;
    const after = checkpointAfter(save, current);
    this.checkpoints.set(save.name, { ...after, fence: current?.fence ?? after.fence });
  }
}
