import type {
  AppendTransactionHooks,
  Awaitable,
  CheckpointStore,
  RecordedEvent,
  TransactionalCheckpoints,
} from '@strata/core';

/**
 * The read models the projections suite writes: one row per event (position, stream, amount), a
 * table per way of writing it, so each can be counted on its own at the end.
 */
export const READ_MODEL_TABLES = ['floor', 'single', 'batched', 'exactly_once', 'hook', 'realtime'] as const;
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

/** The one event type the async projectors read. */
export const PROJECTED_TYPE = 'amount.counted';
/**
 * What each append case writes: a type of its own, so projection reads never see appends, and the
 * realtime projector's checkpoint is never left behind by another case's appends.
 */
export const APPEND_TYPES = {
  plain: 'amount.plain',
  hook: 'amount.hooked',
  realtime: 'amount.realtime',
} as const;

/** What every event carries: the value its read-model row keeps. */
export const amountOf = (event: RecordedEvent): number => (event.data as { amount: number }).amount;

/**
 * A SQL read model in the event store's own database, written the ways a projector would. `Tx` is
 * the store's transaction handle (better-sqlite3's `Database`, a `pg` client, a mysql2 connection).
 * Method syntax on purpose: a backend's model stands in for `ProjectionReadModel<unknown>`.
 */
export interface ProjectionReadModel<Tx> {
  /** The store's checkpoints, which also run transactions on its database. */
  readonly checkpoints: CheckpointStore & TransactionalCheckpoints<Tx>;
  /** The store, which runs hooks inside its appends' transactions. */
  readonly hooks: AppendTransactionHooks<Tx>;
  /** Creates the tables (empty). */
  create(): Promise<void>;
  /** Upserts one event's row: one statement, committed on its own (one handler call per event). */
  upsertOne(table: ReadModelTable, event: RecordedEvent): Promise<void>;
  /** Upserts a batch's rows in one multi-row statement (`handleBatch`). */
  upsertMany(table: ReadModelTable, events: readonly RecordedEvent[]): Promise<void>;
  /** `upsertOne` inside an open transaction (synchronous on SQLite). */
  upsertOneIn(tx: Tx, table: ReadModelTable, event: RecordedEvent): Awaitable<void>;
  /** `upsertMany` inside an open transaction (synchronous on SQLite). */
  upsertManyIn(tx: Tx, table: ReadModelTable, events: readonly RecordedEvent[]): Awaitable<void>;
  /**
   * Deletes every row (untimed, before a projection block): each block then writes rows that are
   * not there yet, as a projection does. Rewriting identical rows would not be a fair floor: SQLite
   * leaves a page it would overwrite with the same bytes clean, so such a commit has nothing to sync.
   */
  clear(table: ReadModelTable): Promise<void>;
  count(table: ReadModelTable): Promise<number>;
}
