import { checkpointAfter, checkpointRefusal, type PreparedCheckpointSave } from '@strata/core';
import { CheckpointMapStore } from './checkpoint-map-store.js';

/**
 * Checks the expected position before the fence: a fenced-out runner whose position is stale too
 * hears that it lost a race (and may retry) instead of that it must stop.
 */
export class ConflictBeforeFenceCheckpointStore extends CheckpointMapStore {
  protected async guardedSave(save: PreparedCheckpointSave): Promise<void> {
    const current = this.checkpoints.get(save.name);
    const refusal =
      checkpointRefusal({ ...save, fence: undefined }, current) ?? checkpointRefusal(save, current);
    if (refusal !== undefined) throw refusal;
    this.checkpoints.set(save.name, checkpointAfter(save, current));
  }
}
