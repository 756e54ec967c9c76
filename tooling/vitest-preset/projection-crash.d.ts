/** One read-model row per event position: how often the event was applied. */
export interface CrashReadModelRow {
  position: number;
  applications: number;
}

interface CrashStore {
  append(streamId: string, events: Array<{ type: string; data: unknown }>): Promise<unknown>;
  readAll(): Promise<Array<{ position: bigint }>>;
  checkpoints: { loadCheckpoint(name: string): Promise<bigint | undefined> };
}

/** What the engine's child script is told: it runs `projector` over `eventType` and logs progress. */
export interface CrashChildArgs {
  projector: string;
  eventType: string;
  /** The child appends each position it applied, one a line, right after writing it (in the open batch). */
  progressFile: string;
  batchSize: number;
  /** How long its handler waits after each event. */
  delayMs: number;
}

export interface ExactlyOnceCrashOptions {
  /**
   * Absolute path of the engine's runner script: an exactly-once `ProjectionRunner`
   * (`transactions: store.checkpoints`) that counts applications in the read model through the
   * batch's transaction, catches up and exits.
   */
  childScript: string;
  /** The script's arguments. */
  childArgs(args: CrashChildArgs): string[];
  /** The store the test appends with and reads checkpoints from (a function: it may open late); its log starts empty. */
  store(): CrashStore;
  /** Creates the empty read model (`position` key, `applications` count). */
  createReadModel(): Promise<void>;
  /** The read model's rows in position order. */
  readModel(): Promise<CrashReadModelRow[]>;
}

export declare const CRASH_BATCH: number;
export declare const CRASH_HANDLER_DELAY_MS: number;

/** Registers the crash scenario in the enclosing `describe`. */
export declare function describeExactlyOnceCrash(options: ExactlyOnceCrashOptions): void;
