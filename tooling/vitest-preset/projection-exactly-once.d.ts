/** What the read model holds: totals per stream, and how many applications repeated an event. */
export interface TotalsReadModel {
  totals: Map<string, number>;
  doubles: number;
}

/** One engine's storage for one test: set up fresh each time the scenarios call `setup`. */
export interface ExactlyOnceSetup<Store> {
  /** The store the projectors run on. */
  store: Store;
  /** A second instance over the same storage (its own connections, as another process would have). */
  peer: Store;
  /** The read model as it is now (`doubles`: applications beyond one per event id). */
  readModel(): Promise<TotalsReadModel> | TotalsReadModel;
  /** Adds `by` to the event's stream total and records one application of the event, through `tx`. */
  apply(tx: unknown, event: unknown, by: number): unknown;
  /** Closes what `setup` opened, at the end of each test; leave it out when the engine's `afterEach` does. */
  close?(): Promise<void>;
}

export interface ExactlyOnceScenarioOptions<Store> {
  /** `@strata/core`'s error class, so a lost checkpoint save is recognised across package copies. */
  CheckpointConflictError: { isInstance(error: unknown): boolean };
  /** The `@strata/projections` module the engine tests against (`import * as projections`). */
  projections: {
    attachRealtimeProjector(options: never): unknown;
    defineProjector(options: never): unknown;
    ProjectionRunner: new (options: never) => unknown;
  };
  setup(): Promise<ExactlyOnceSetup<Store>>;
}

/** What the projector's handler does around `apply`, for a scenario's own tests. */
export interface CounterOptions {
  fail?(by: number): boolean;
  before?(): unknown;
  after?(): unknown;
}

export interface ExactlyOnceScenarios {
  /**
   * The `totals` projector over `counted` events. Its handler is synchronous while `apply` and the
   * hooks are (SQLite), so cast it to the engine's `Projector` type.
   */
  counter(apply: ExactlyOnceSetup<unknown>['apply'], options?: CounterOptions): unknown;
  /** Two runners over one checkpoint, `events` events, batches of `batchSize`; `pauseMs` before each apply, if given. */
  runnerRace(race: { events: number; batchSize: number; pauseMs?: number }): void;
  /** A realtime projector falls behind a writer without it, and is live again after a runner's catch-up. */
  behindAfterAWriterWithoutIt(): void;
  /** The scenarios whose handlers await: runInTransaction, a throw mid-batch, a throwing realtime handler, concurrent appends. */
  asyncHandlers(): void;
  /** A runner re-reading what a realtime append applied meanwhile rolls back and never blocks the append. */
  runnerRereadingRealtime(): void;
}

/** `counted` events add `data.by` to their stream's total. */
export declare function counted(by: number): { type: 'counted'; data: { by: number } };

/** A fold of the store's `counted` events: the totals the read model must hold. */
export declare function foldCounted(store: {
  readAll(options: { types: string[] }): Promise<Array<{ streamId: string; data: unknown }>>;
}): Promise<Map<string, number>>;

/** The scenario groups; each registers its tests in the enclosing `describe`. */
export declare function projectionExactlyOnceScenarios<Store>(
  options: ExactlyOnceScenarioOptions<Store>,
): ExactlyOnceScenarios;
