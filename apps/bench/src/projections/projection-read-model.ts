import type { RecordedEvent } from '@strata/core';

/**
 * The read models the projections suite writes: one row per event (position, stream, amount), a
 * table per way of writing it, so each can be counted on its own at the end.
 */
export const READ_MODEL_TABLES = ['single', 'batched', 'realtime'] as const;
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

/** The one event type the suite projects; appends write another type, so reads never see them. */
export const PROJECTED_TYPE = 'amount.counted';
export const APPENDED_TYPE = 'amount.appended';

/** What every event carries: the value its read-model row keeps. */
export const amountOf = (event: RecordedEvent): number => (event.data as { amount: number }).amount;

/** A SQL read model in the event store's own database, written the ways a projector would. */
export interface ProjectionReadModel {
  /** Creates the tables (empty). */
  create(): Promise<void>;
  /** Upserts one event's row: one statement, committed on its own (one handler call per event). */
  upsertOne(table: ReadModelTable, event: RecordedEvent): Promise<void>;
  /** Upserts a batch's rows in one multi-row statement (`handleBatch`). */
  upsertMany(table: ReadModelTable, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Registers an `onAppend` hook that upserts one row per appended event into `realtime`, inside
   * the append's transaction. Returns what removes it.
   */
  attachRealtimeRow(): () => void;
  count(table: ReadModelTable): Promise<number>;
}
