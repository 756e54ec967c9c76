import { checkpointAfter, checkpointRefusal, type PreparedCheckpointSave } from '@strata/core';
import { CheckpointMapStore } from './checkpoint-map-store.js';

/** Checks the fence but saves whatever the stored position (`expectedPosition` dropped on the way). */
export class IgnoresExpectedPositionCheckpointStore extends CheckpointMapStore {
  protected async guardedSave(save: PreparedCheckpointSave): Promise<void> {
    const current = this.checkpoints.get(save.name);
    const refusal = checkpointRefusal({ ...save, expectedPosition: undefined }, current);
    if (refusal !== undefined) throw refusal;
    this.checkpoints.set(save.name, checkpointAfter(save, current));
  }
}
