/** What `parseCadenceChildArgs` reads from the child's argv (see `CadenceCrashOptions.childArgs`). */
export interface CadenceChildParsedArgs {
  /** The engine's own leading arguments (its URL, schema or file path). */
  engineArgs: string[];
  projector: string;
  eventType: string;
  progressFile: string;
  batchSize: number;
  delayMs: number;
  /** The runner's `checkpointEvery.events`. */
  checkpointEvents: number;
}

export interface CadenceChildArgs {
  projector: string;
  eventType: string;
  progressFile: string;
  batchSize: number;
  delayMs: number;
  checkpointEvents: number;
}

/** The child's argv for `CadenceCrashOptions.childArgs`: `engineArgs` (where its storage is), then the kit's. */
export declare function cadenceChildArgv(engineArgs: string[], args: CadenceChildArgs): string[];

export declare function parseCadenceChildArgs(argv: string[]): CadenceChildParsedArgs;

export interface CadenceCrashChildOptions {
  /** The `@strata/projections` module (`import * as projections`). */
  projections: {
    defineProjector(options: never): unknown;
    ProjectionRunner: new (options: never) => { catchUp(): Promise<unknown> };
  };
  /** The engine's store over the parent's storage; closed once the runner caught up. */
  store: { checkpoints: unknown; close(): Promise<void> | void };
  args: CadenceChildParsedArgs;
  /** Adds one application of `event` to its read-model row (`position` key), committed at once. */
  countApplication(event: { position: bigint }): unknown;
}

/** Catches the at-least-once runner up to the log's end (unless the parent kills it first), then closes the store. */
export declare function runCadenceCrashChild(options: CadenceCrashChildOptions): Promise<void>;
