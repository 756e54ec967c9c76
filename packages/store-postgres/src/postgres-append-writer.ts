import {
  PositionsExhaustedError,
  type PreparedAppend,
  StoreUnavailableError,
  ValidationError,
} from '@strata/core';
import {
  type AppendFunctionRow,
  type AppendOutcome,
  appendCallStatement,
  callParameters,
  decodeOutcomes,
} from './postgres-append-call.js';
import type { AppendQueue, QueuedAppend } from './postgres-append-queue.js';
import type { PostgresConnection } from './postgres-connection.js';
import {
  isMissingFunction,
  isPositionLimit,
  isRefusedData,
  isTransient,
  isUniqueViolation,
  STORE_NAME,
  toStoreError,
} from './postgres-errors.js';
import type { PostgresPoolClient } from './postgres-pool.js';
import {
  type CheckpointAdvances,
  checkpointAdvances,
  decodeAdvanced,
  type RegisteredAppendHook,
} from './postgres-registered-hook.js';
import type { PreparedStatement } from './postgres-statement.js';

/** Group writes an append may take part in before a persistent race is reported. */
const MAX_ATTEMPTS = 5;

/**
 * Writes a group of appends with one call of the append function (one round trip), or, when hooks
 * are registered, in an explicit transaction that runs the hooks before the commit. When a hook
 * asked for a checkpoint move and the group holds events of its types, the call is the advancing
 * function's, which makes the move too.
 */
export class PostgresAppendWriter {
  private readonly call: PreparedStatement;
  private readonly advancingCall: PreparedStatement;
  /** Cleared when the advancing function is missing (a store opened with `migrate: false` on older tables). */
  private advancing = true;

  constructor(
    private readonly connection: PostgresConnection,
    private readonly hooks: ReadonlySet<RegisteredAppendHook>,
    notify: boolean,
  ) {
    this.call = appendCallStatement(connection.tables, notify);
    this.advancingCall = appendCallStatement(connection.tables, notify, true);
  }

  /** A `GroupWriter` for the append queue: settles or requeues every append, never rejects. */
  readonly write = async (group: QueuedAppend[], queue: AppendQueue): Promise<void> => {
    const recordedAt = Date.now();
    const values = callParameters(appendsOf(group), recordedAt);
    try {
      if (this.hooks.size === 0) {
        const { rows } = await this.connection.queryUnmapped(this.call.query(values));
        settle(group, decodeOutcomes(appendsOf(group), rows as AppendFunctionRow[], recordedAt));
      } else {
        await this.writeWithHooks(group, values, recordedAt, queue);
      }
    } catch (error) {
      this.retryOrFail(group, error, queue);
    }
  };

  private async writeWithHooks(
    group: QueuedAppend[],
    values: unknown[],
    recordedAt: number,
    queue: AppendQueue,
  ): Promise<void> {
    const advances = this.advancing ? checkpointAdvances(this.hooks, appendsOf(group)) : undefined;
    const call =
      advances === undefined
        ? this.call.query(values)
        : this.advancingCall.query([...values, ...advances.values]);
    const settled = await this.connection.withClient(async (client) => {
      await client.query({ text: 'BEGIN ISOLATION LEVEL READ COMMITTED' });
      try {
        const { rows } = await client.query(this.connection.withTimeout(call));
        const results = decodeOutcomes(appendsOf(group), rows as AppendFunctionRow[], recordedAt);
        const advanced = advances === undefined ? undefined : (rows as AppendFunctionRow[]);
        const failed = await this.runHooks(client, results, advances, advanced);
        if (failed !== undefined) {
          await client.query({ text: 'ROLLBACK' });
          return { failed };
        }
        await client.query({ text: 'COMMIT' });
        return { results };
      } catch (error) {
        await rollbackQuietly(client);
        throw error;
      }
    });
    if (settled.results !== undefined) {
      settle(group, settled.results);
      return;
    }
    // The hook's append fails with the hook's error; the others were rolled back with it and run again.
    const { index, error } = settled.failed;
    group[index]!.reject(error);
    queue.requeue(group.filter((_, i) => i !== index));
  }

  /**
   * Runs every hook for every written append, each with what the call did about its checkpoint;
   * returns the first failure, if any.
   */
  private async runHooks(
    client: PostgresPoolClient,
    results: AppendOutcome[],
    advances: CheckpointAdvances | undefined,
    rows: AppendFunctionRow[] | undefined,
  ): Promise<{ index: number; error: unknown } | undefined> {
    for (let i = 0; i < results.length; i++) {
      const outcome = results[i]!;
      if (outcome.kind !== 'written' || !outcome.fresh) continue;
      // Built here once; the append's caller gets the same array.
      const events = outcome.result.events!;
      const advanced = rows === undefined ? [] : decodeAdvanced(rows[i]![5]);
      for (const hook of this.hooks) {
        const slot = advances?.slots.get(hook);
        try {
          await hook.run(client, events, slot === undefined ? undefined : advanced[slot]);
        } catch (error) {
          return { index: i, error };
        }
      }
    }
    return undefined;
  }

  private retryOrFail(group: QueuedAppend[], error: unknown, queue: AppendQueue): void {
    if (this.advancing && isMissingFunction(error)) {
      // Tables from before migration 7, opened without migrating: the hooks keep their own path.
      this.advancing = false;
      queue.requeue(group);
      return;
    }
    // Before refused data: a full sequence is also an out-of-range error (class 22).
    if (isPositionLimit(error)) {
      // The log is (nearly) full and the call rolled back. Alone, an append that still fits is
      // written and a resent batch gets its result; only what does not fit is refused.
      if (group.length > 1) {
        for (const queued of group) queued.solo = true;
        queue.requeue(group);
      } else {
        for (const queued of group) queued.reject(new PositionsExhaustedError(STORE_NAME));
      }
      return;
    }
    if (isRefusedData(error)) {
      // One append's data failed the whole call, and the error does not say whose. Alone, each
      // append fails or commits on its own data, so the others never pay for it.
      if (group.length > 1) {
        for (const queued of group) queued.solo = true;
        queue.requeue(group);
        return;
      }
      group[0]?.reject(
        new ValidationError('events', `the storage refused them: ${messageOf(error)}`, { cause: error }),
      );
      return;
    }
    const again = group.filter((queued) => ++queued.attempts < MAX_ATTEMPTS);
    const exhausted = group.filter((queued) => queued.attempts >= MAX_ATTEMPTS);
    if (isUniqueViolation(error)) {
      // Another process wrote one of these event ids (or stream versions) between this call's
      // checks and its insert. Alone, each append's checks see the committed rows and settle it.
      for (const queued of again) queued.solo = true;
      queue.requeue(again);
      // Still failing alone: the tables disagree (rows written around the store), not a race.
      for (const queued of exhausted) queued.reject(new StoreUnavailableError(STORE_NAME, error));
      return;
    }
    if (isTransient(error)) {
      queue.requeue(again);
      for (const queued of exhausted) queued.reject(new StoreUnavailableError(STORE_NAME, error));
      return;
    }
    const mapped = toStoreError(error);
    for (const queued of group) queued.reject(mapped);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function appendsOf(group: QueuedAppend[]): PreparedAppend[] {
  return group.map((queued) => queued.append);
}

function settle(group: QueuedAppend[], results: AppendOutcome[]): void {
  for (let i = 0; i < group.length; i++) {
    const outcome = results[i]!;
    if (outcome.kind === 'written') group[i]!.resolve(outcome.result);
    else group[i]!.reject(outcome.error);
  }
}

async function rollbackQuietly(client: PostgresPoolClient): Promise<void> {
  try {
    await client.query({ text: 'ROLLBACK' });
  } catch {
    // The error that made us roll back is the one the caller needs to see.
  }
}
