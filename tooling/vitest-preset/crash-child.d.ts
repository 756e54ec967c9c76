/** What `parseCrashChildArgs` reads from the child's argv (see `ExactlyOnceCrashOptions.childArgs`). */
export interface CrashChildParsedArgs {
  /** The engine's own leading arguments (its URL, schema or table prefix, file path). */
  engineArgs: string[];
  projector: string;
  eventType: string;
  progressFile: string;
  batchSize: number;
  delayMs: number;
}

/** The child's argv for `ExactlyOnceCrashOptions.childArgs`: `engineArgs` (where its storage is), then the crash kit's. */
export declare function crashChildArgv(
  engineArgs: string[],
  args: { projector: string; eventType: string; progressFile: string; batchSize: number; delayMs: number },
): string[];

export declare function parseCrashChildArgs(argv: string[]): CrashChildParsedArgs;

export interface CrashChildOptions<Tx> {
  /** The `@strata/projections` module (`import * as projections`). */
  projections: {
    defineProjector(options: never): unknown;
    ProjectionRunner: new (options: never) => { catchUp(): Promise<unknown> };
  };
  /** The engine's store over the parent's storage; closed once the runner caught up. */
  store: { checkpoints: unknown; close(): Promise<void> | void };
  args: CrashChildParsedArgs;
  /** Adds one application of `event` to its read-model row (`position` key), through the batch's `tx`. */
  countApplication(tx: Tx, event: { position: bigint }): unknown;
  /** Waits `ms` after each event; must block synchronously where the engine's handlers must be synchronous. */
  pause(ms: number): unknown;
}

/** Catches the exactly-once runner up to the log's end (unless the parent kills it first), then closes the store. */
export declare function runCrashChild<Tx>(options: CrashChildOptions<Tx>): Promise<void>;
