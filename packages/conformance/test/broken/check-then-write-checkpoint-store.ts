import { checkpointAfter, checkpointRefusal, type PreparedCheckpointSave } from '@strata/core';
import { CheckpointMapStore } from './checkpoint-map-store.js';

/**
 * Reads the checkpoint, checks the guards, then writes in a second round trip (a SELECT then an
 * UPDATE without a lock): right answers one at a time, but racing savers all pass the check.
 */
export class CheckThenWriteCheckpointStore extends CheckpointMapStore {
  protected async guardedSave(save: PreparedCheckpointSave): Promise<void> {
    const current = this.checkpoints.get(save.name);
    const refusal = checkpointRefusal(save, current);
    if (refusal !== undefined) throw refusal;
    await new Promise((resolve) => setImmediate(resolve));
    this.checkpoints.set(save.name, checkpointAfter(save, this.checkpoints.get(save.name)));
  }
}
