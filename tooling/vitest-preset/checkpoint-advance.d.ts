/** The part of a SQL store these scenarios use (structural, so the preset needs no @strata/core). */
interface AdvancingStore {
  append(
    streamId: string,
    events: Array<{ type: string; data: unknown }>,
  ): Promise<{ events?: ReadonlyArray<{ position: bigint }> }>;
  onAppendTransaction(
    hook: (context: {
      events: ReadonlyArray<{ position: bigint }>;
      advanceCheckpointFromPreceding?: (name: string, position: bigint, types: readonly string[]) => unknown;
      checkpointAdvanced?: boolean;
    }) => unknown,
    options?: { advanceCheckpoint?: { name: string; types: readonly string[] } },
  ): () => void;
  checkpoints: {
    loadCheckpoint(name: string): Promise<bigint | undefined>;
    saveCheckpoint(
      name: string,
      position: bigint,
      options?: { expectedPosition?: bigint | null },
    ): Promise<void>;
  };
}

/** A fresh store (its own schema or table prefix) and how to drop it after the test. */
export interface CheckpointAdvanceStore {
  store: AdvancingStore;
  close(): Promise<void>;
}

/** Registers the `advanceCheckpointFromPreceding` scenarios in the enclosing `describe`. */
export declare function describeCheckpointAdvance(openStore: () => Promise<CheckpointAdvanceStore>): void;
