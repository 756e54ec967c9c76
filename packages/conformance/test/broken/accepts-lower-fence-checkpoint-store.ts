import { checkpointRefusal, type PreparedCheckpointSave } from '@strata/core';
import { CheckpointMapStore } from './checkpoint-map-store.js';

/** Records fences but never refuses a lower one: a stale lease holder keeps writing. */
export class AcceptsLowerFenceCheckpointStore extends CheckpointMapStore {
  protected async guardedSave(save: PreparedCheckpointSave): Promise<void> {
    const current = this.checkpoints.get(save.name);
    const refusal = checkpointRefusal({ ...save, fence: undefined }, current);
    if (refusal !== undefined) throw refusal;
    const stored = current?.fence ?? null;
    const fence = save.fence === undefined || (stored !== null && stored > save.fence) ? stored : save.fence;
    this.checkpoints.set(save.name, { position: save.position, fence });
  }
}
