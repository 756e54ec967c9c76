import {
  assertPositionAvailable,
  type PreparedAppend,
  recordedEventsOf,
  withRecordedEvents,
} from '@strata/core';
import { chunks, inListSize, padded } from './in-list.js';
import { AppendHookFailure, type AppendOutcome } from './mysql-append-outcome.js';
import {
  lockStreams,
  planAppends,
  type StreamState,
  type TransactionStatements,
} from './mysql-append-plan.js';
import type { MysqlAppendSql } from './mysql-append-sql.js';
import type { MysqlConnection, MysqlResultHeader, MysqlValue } from './mysql-driver.js';
import { STORE_NAME } from './mysql-errors.js';
import { assignPositions, insertEventIds, insertEvents } from './mysql-event-insert.js';
import { positionOfInsertId } from './mysql-event-row.js';
import type { RegisteredAppendHook } from './mysql-registered-hook.js';
import type { StreamTypeCache } from './stream-type-cache.js';

export interface AppendTransactionContext {
  sql: MysqlAppendSql;
  /** True when event ids are kept unique in their own table (partitioned layout). */
  partitioned: boolean;
  streamTypes: StreamTypeCache;
  hooks: readonly RegisteredAppendHook[];
  queryTimeoutMs: number;
}

const IN_LIST_CHUNK = 256;

/**
 * Writes a group of appends in one transaction on `connection` (a writer connection with
 * autocommit off: the first statement opens the transaction), each still checked against its own
 * expected version:
 *
 * 1. the stream rows are checked and locked (`planAppends`), new versions written;
 * 2. the sequence row is locked and positions taken (`LAST_INSERT_ID`): the last lock taken
 *    before COMMIT, so positions are handed out in commit order and a reader never sees a later
 *    position before an earlier one commits;
 * 3. the events are inserted, hooks run, COMMIT.
 *
 * A single append with a numeric expected version does step 1 and the lock of step 2 in one
 * statement: three round trips in all, one fewer than a hand-written BEGIN / SELECT / INSERT /
 * COMMIT. With a single event, steps 1 to 3 run in the `append_single` procedure, COMMIT too when
 * no hook has to run before it: one round trip (two with hooks, or with the older `append_one`).
 * A single append's procedure (MariaDB) also moves the checkpoints hooks asked for
 * (`advanceCheckpoint`), so a realtime projector adds no statement of its own.
 */
export async function writeAppendGroup(
  connection: MysqlConnection,
  context: AppendTransactionContext,
  appends: readonly PreparedAppend[],
): Promise<AppendOutcome[]> {
  const { sql, queryTimeoutMs: timeout } = context;
  const tx: TransactionStatements = {
    run: async (statement, values) =>
      (await connection.execute({ sql: statement, timeout }, values))[0] as MysqlResultHeader,
    rows: async (statement, values) =>
      (await connection.execute({ sql: statement, rowsAsArray: true, timeout }, values))[0] as unknown[][],
  };

  // Read once: a hook registered meanwhile must not find its append committed without it. With no
  // hook to run inside the transaction, a single append may commit in its own statement.
  const { hooks } = context;
  const plan = await planAppends(tx, sql, context.streamTypes, appends, hooks.length === 0, hooks);
  const { planned, streams, outcomes } = plan;
  if (planned.length === 0) {
    await connection.query({ sql: 'ROLLBACK', timeout });
    return outcomes;
  }
  // Past 2^63 - 1 the append is refused; throwing rolls the transaction back, so nothing is written.
  if (plan.lastPosition !== undefined) assertPositionAvailable(STORE_NAME, plan.lastPosition);
  let recordedAt = plan.insertedAt;
  if (recordedAt === undefined) {
    await writeVersions(tx, sql, streams);
    if (context.partitioned) await insertEventIds(tx, sql, planned);
    const unknownTypes = [...streams].filter(([, state]) => state.type === undefined).map(([id]) => id);
    if (unknownTypes.length > 0) await lockStreams(tx, sql, unknownTypes, streams);

    const total = planned.reduce((sum, p) => sum + p.append.events.length, 0);
    const lastPosition = plan.lastPosition ?? (await takePositions(tx, sql, total));
    assignPositions(planned, lastPosition - BigInt(total) + 1n);
    recordedAt = Date.now();
    await insertEvents(tx, sql, planned, streams, recordedAt);
  }
  const storedAt = recordedAt;
  for (const p of planned) {
    const result = {
      streamId: p.append.streamId,
      firstVersion: p.firstVersion,
      lastVersion: p.firstVersion + p.append.events.length - 1,
      lastPosition: p.lastPosition,
    };
    // Hooks need the events now, and the caller then gets the same array; otherwise built on demand.
    const recorded = () =>
      recordedEventsOf(p.append, {
        // The stream's type as stored: a stream's first append fixed it.
        streamType: streams.get(p.append.streamId)?.type ?? p.append.streamType,
        firstVersion: p.firstVersion,
        lastPosition: p.lastPosition,
        recordedAt: storedAt,
      });
    const events = hooks.length > 0 ? recorded() : undefined;
    const build = () => events ?? recorded();
    outcomes[p.index] = { kind: 'written', result: withRecordedEvents(result, build) };
    if (events === undefined) continue;
    try {
      for (const hook of hooks) await hook.run(connection, events, plan.checkpointsAdvanced?.get(hook));
    } catch (error) {
      throw new AppendHookFailure(p.index, error);
    }
  }
  if (!plan.committed) await connection.query({ sql: 'COMMIT', timeout });

  // Only now: a type cached for a stream whose creation rolled back would be wrong forever.
  for (const [streamId, state] of streams) {
    if (state.type !== undefined) context.streamTypes.set(streamId, state.type);
  }
  return outcomes;
}

/** Takes `count` positions from the sequence row; refuses them (the caller rolls back) past 2^63 - 1. */
async function takePositions(tx: TransactionStatements, sql: MysqlAppendSql, count: number): Promise<bigint> {
  const lastPosition = positionOfInsertId((await tx.run(sql.takePositions, [count])).insertId);
  assertPositionAvailable(STORE_NAME, lastPosition);
  return lastPosition;
}

/** The versions that moved after their row was locked, in one UPDATE per chunk. */
async function writeVersions(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streams: ReadonlyMap<string, StreamState>,
): Promise<void> {
  const dirty = [...streams].filter(([, state]) => state.dirty);
  for (const chunk of chunks(dirty, IN_LIST_CHUNK)) {
    const size = inListSize(chunk.length);
    const rows = padded(chunk, size);
    const values: MysqlValue[] = rows.flatMap(([id, state]) => [id, state.version]);
    await tx.run(sql.setVersions(size), [...values, ...rows.map(([id]) => id)]);
  }
}
