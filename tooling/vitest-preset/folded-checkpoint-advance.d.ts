import type { CheckpointAdvanceStore } from './checkpoint-advance.js';

/** Registers the `advanceCheckpoint` option's scenarios (the move folded into the append) in the enclosing `describe`. */
export declare function describeFoldedCheckpointAdvance(
  openStore: () => Promise<CheckpointAdvanceStore>,
): void;
