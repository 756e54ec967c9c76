import type { CadenceChildArgs } from './cadence-crash-child.js';

/** One read-model row per event position: how often the event was applied. */
export interface CadenceReadModelRow {
  position: number;
  applications: number;
}

interface CadenceCrashStore {
  append(streamId: string, events: Array<{ type: string; data: unknown }>): Promise<unknown>;
  readAll(): Promise<Array<{ position: bigint }>>;
  checkpoints: { loadCheckpoint(name: string): Promise<bigint | undefined> };
}

export interface AtLeastOnceCrashOptions {
  /**
   * Absolute path of the engine's runner script: an at-least-once `ProjectionRunner` with
   * `checkpointEvery: { events }` that counts applications in the read model (see
   * `runCadenceCrashChild`), catches up and exits.
   */
  childScript: string;
  /** The script's arguments. */
  childArgs(args: CadenceChildArgs): string[];
  /** The store the test appends with and reads checkpoints from (a function: it may open late); its log starts empty. */
  store(): CadenceCrashStore;
  /** Creates the empty read model (`position` key, `applications` count). */
  createReadModel(): Promise<void>;
  /** The read model's rows in position order. */
  readModel(): Promise<CadenceReadModelRow[]>;
}

export declare const CADENCE_BATCH: number;
export declare const CADENCE_EVENTS: number;

/** Registers the crash scenario in the enclosing `describe`. */
export declare function describeAtLeastOnceCrash(options: AtLeastOnceCrashOptions): void;
