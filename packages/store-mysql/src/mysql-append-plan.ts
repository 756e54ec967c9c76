import { type PreparedAppend, satisfiesExpectedVersion } from '@strata/core';
import { chunks, inListSize, padded } from './in-list.js';
import { type AppendOutcome, duplicateAware } from './mysql-append-outcome.js';
import type { MysqlAppendSql } from './mysql-append-sql.js';
import { packBatchEvents } from './mysql-batch-pack.js';
import type { MysqlResultHeader, MysqlValue } from './mysql-driver.js';
import { isDuplicateKey } from './mysql-errors.js';
import { positionOfInsertId, toBigInt } from './mysql-event-row.js';
import {
  advancedByHook,
  type CheckpointAdvances,
  checkpointAdvances,
  type RegisteredAppendHook,
} from './mysql-registered-hook.js';
import type { StreamTypeCache } from './stream-type-cache.js';

/** The statements of one transaction, bound to its connection. */
export interface TransactionStatements {
  run(sql: string, values: MysqlValue[]): Promise<MysqlResultHeader>;
  rows(sql: string, values: MysqlValue[]): Promise<unknown[][]>;
}

export interface StreamState {
  version: number;
  type: string | undefined;
  /** The version in the row is behind `version`: written in one statement before the positions. */
  dirty: boolean;
}

export interface PlannedAppend {
  index: number;
  append: PreparedAppend;
  firstVersion: number;
  /** Set once positions are taken. */
  firstPosition: bigint;
  lastPosition: bigint;
}

/** Which appends of a group go ahead (their stream rows now locked), and which conflict. */
export interface AppendPlan {
  outcomes: AppendOutcome[];
  planned: PlannedAppend[];
  streams: Map<string, StreamState>;
  /** Set when the single append's statement took the positions too. */
  lastPosition: bigint | undefined;
  /** Set when the single append's statement also inserted its event (the stored procedure). */
  insertedAt: number | undefined;
  /** The procedure committed the transaction too: nothing is left to do on the connection. */
  committed: boolean;
  /** Set when the single append's procedure moved hooks' checkpoints too: which moved, by hook. */
  checkpointsAdvanced: Map<RegisteredAppendHook, boolean> | undefined;
}

const IN_LIST_CHUNK = 256;

/**
 * Checks every append against its expected version and locks the stream rows. One append: one
 * statement that checks, bumps and locks (with a numeric expected version it also takes the
 * positions). Several: one `SELECT ... FOR UPDATE` for the streams this process knows exist, the
 * checks in memory, one statement per new stream, and the new versions written later in one UPDATE.
 */
export async function planAppends(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streamTypes: StreamTypeCache,
  appends: readonly PreparedAppend[],
  /** Whether a single append may COMMIT in its own statement (no hook has to run before COMMIT). */
  mayCommit = false,
  /** The hooks that will run: a single append's procedure moves the checkpoints they ask for. */
  hooks: readonly RegisteredAppendHook[] = [],
): Promise<AppendPlan> {
  const plan: AppendPlan = {
    outcomes: [],
    planned: [],
    streams: new Map(),
    lastPosition: undefined,
    insertedAt: undefined,
    committed: false,
    checkpointsAdvanced: undefined,
  };
  const single = appends.length === 1 ? appends[0] : undefined;
  if (single !== undefined) {
    const foldable = sql.appendSingleAdvancing !== undefined || sql.appendBatchAdvancing !== undefined;
    const advances = foldable ? checkpointAdvances(hooks, single) : undefined;
    await planSingle(tx, sql, streamTypes, single, plan, mayCommit, advances);
    return plan;
  }
  await lockKnownStreams(tx, sql, streamTypes, appends, plan);
  for (const [index, append] of appends.entries()) {
    const { expectedVersion: expected } = append;
    const known = plan.streams.get(append.streamId);
    if (known !== undefined) {
      // The row is locked by this transaction: the check is plain arithmetic.
      if (satisfiesExpectedVersion(expected, known.version))
        accept(plan, index, append, known.version, known.type, true);
      else conflict(plan, index, known.version);
    } else if (expected === 'any' || expected === 'no_stream' || expected === 0) {
      await createStream(tx, sql, streamTypes, index, append, plan);
    } else {
      // It had to exist, and the locking read found no row.
      conflict(plan, index, 0);
    }
  }
  return plan;
}

function accept(
  plan: AppendPlan,
  index: number,
  append: PreparedAppend,
  before: number,
  type: string | undefined,
  dirty: boolean,
): void {
  plan.planned.push({ index, append, firstVersion: before + 1, firstPosition: 0n, lastPosition: 0n });
  plan.streams.set(append.streamId, { version: before + append.events.length, type, dirty });
}

function conflict(plan: AppendPlan, index: number, actualVersion: number): void {
  plan.outcomes[index] = { kind: 'conflict', actualVersion };
}

async function planSingle(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streamTypes: StreamTypeCache,
  append: PreparedAppend,
  plan: AppendPlan,
  mayCommit: boolean,
  advances: CheckpointAdvances | undefined,
): Promise<void> {
  const { streamId, expectedVersion: expected } = append;
  const count = append.events.length;
  const exact = expected === 'no_stream' ? 0 : expected;
  if (sql.appendSingle !== undefined && count === 1 && typeof exact === 'number') {
    const advancing = advances === undefined ? undefined : sql.appendSingleAdvancing;
    if (advancing !== undefined) {
      return appendSingle(tx, advancing, append, exact, plan, mayCommit, advances);
    }
    return appendSingle(tx, sql.appendSingle, append, exact, plan, mayCommit);
  }
  const packed =
    sql.appendBatch !== undefined && typeof exact === 'number' ? packBatchEvents(append) : undefined;
  if (sql.appendBatch !== undefined && packed !== undefined && typeof exact === 'number') {
    const advancing = advances === undefined ? undefined : sql.appendBatchAdvancing;
    if (advancing !== undefined) {
      return appendBatch(tx, advancing, append, exact, packed, plan, mayCommit, advances);
    }
    return appendBatch(tx, sql.appendBatch, append, exact, packed, plan, mayCommit);
  }
  if (expected === 'any' || expected === 'no_stream' || expected === 0) {
    return createStream(tx, sql, streamTypes, 0, append, plan);
  }
  const type = streamTypes.get(streamId);
  const event = append.events[0];
  if (sql.appendOne !== undefined && count === 1 && event !== undefined && typeof expected === 'number') {
    const recordedAt = Date.now();
    const [result] = await duplicateAware(
      tx.rows(sql.appendOne, [
        streamId,
        expected,
        event.id,
        event.type,
        event.dataJson,
        event.metadataJson,
        event.schemaVersion,
        event.occurredAt.getTime(),
        recordedAt,
      ]),
    );
    const row = (result as unknown as unknown[][] | undefined)?.[0] ?? [];
    if (row[0] === null || row[0] === undefined) return conflict(plan, 0, Number(row[2] ?? 0));
    const position = toBigInt(row[0]);
    accept(plan, 0, append, expected, row[1] as string, false);
    plan.planned[0]!.firstPosition = position;
    plan.planned[0]!.lastPosition = position;
    plan.lastPosition = position;
    plan.insertedAt = recordedAt;
    return;
  }
  if (expected === 'stream_exists') {
    const header = await tx.run(sql.bumpExistingVersion, [count, streamId]);
    if (header.affectedRows > 0) accept(plan, 0, append, Number(header.insertId) - count, type, false);
    else conflict(plan, 0, 0);
    return;
  }
  const header = await tx.run(sql.bumpVersionAndTakePositions, [count, count, streamId, expected]);
  if (header.affectedRows > 0) {
    plan.lastPosition = positionOfInsertId(header.insertId);
    accept(plan, 0, append, expected, type, false);
  } else {
    conflict(plan, 0, await lockedVersion(tx, sql, streamId));
  }
}

/**
 * One event, an exact expected version (0: a new stream): the `append_single` procedure does it
 * all; with `advances`, `append_single_advancing`, which moves the hooks' checkpoints too.
 */
async function appendSingle(
  tx: TransactionStatements,
  statement: string,
  append: PreparedAppend,
  expected: number,
  plan: AppendPlan,
  mayCommit: boolean,
  advances?: CheckpointAdvances,
): Promise<void> {
  const event = append.events[0]!;
  const recordedAt = Date.now();
  const [result] = await duplicateAware(
    tx.rows(statement, [
      append.streamId,
      append.streamType,
      expected,
      event.id,
      event.type,
      event.dataJson,
      event.metadataJson,
      event.schemaVersion,
      event.occurredAt.getTime(),
      recordedAt,
      mayCommit ? 1 : 0,
      ...(advances === undefined ? [] : [advances.json]),
    ]),
  );
  // A CALL answers with its SELECT's rows, then a status: the first element is the result set.
  const row = (result as unknown as unknown[][] | undefined)?.[0] ?? [];
  if (row[0] === null || row[0] === undefined) return conflict(plan, 0, Number(row[2] ?? 0));
  const position = toBigInt(row[0]);
  accept(plan, 0, append, expected, row[1] as string, false);
  plan.planned[0]!.firstPosition = position;
  plan.planned[0]!.lastPosition = position;
  plan.lastPosition = position;
  plan.insertedAt = recordedAt;
  plan.committed = Number(row[3]) === 1;
  if (advances !== undefined) plan.checkpointsAdvanced = advancedByHook(advances, row[4]);
}

/** Several events, an exact expected version (0: a new stream): `append_batch` (or `_advancing`). */
async function appendBatch(
  tx: TransactionStatements,
  statement: string,
  append: PreparedAppend,
  expected: number,
  packed: string,
  plan: AppendPlan,
  mayCommit: boolean,
  advances?: CheckpointAdvances,
): Promise<void> {
  const count = append.events.length;
  const recordedAt = Date.now();
  const [result] = await duplicateAware(
    tx.rows(statement, [
      append.streamId,
      append.streamType,
      expected,
      count,
      packed,
      recordedAt,
      mayCommit ? 1 : 0,
      ...(advances === undefined ? [] : [advances.json]),
    ]),
  );
  const row = (result as unknown as unknown[][] | undefined)?.[0] ?? [];
  if (row[0] === null || row[0] === undefined) return conflict(plan, 0, Number(row[2] ?? 0));
  const lastPosition = toBigInt(row[0]);
  accept(plan, 0, append, expected, row[1] as string, false);
  plan.planned[0]!.firstPosition = lastPosition - BigInt(count) + 1n;
  plan.planned[0]!.lastPosition = lastPosition;
  plan.lastPosition = lastPosition;
  plan.insertedAt = recordedAt;
  plan.committed = Number(row[3]) === 1;
  if (advances !== undefined) plan.checkpointsAdvanced = advancedByHook(advances, row[4]);
}

/** 'no_stream' / 0 insert the stream row; 'any' inserts it or bumps the existing one. */
async function createStream(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streamTypes: StreamTypeCache,
  index: number,
  append: PreparedAppend,
  plan: AppendPlan,
): Promise<void> {
  const { streamId, streamType } = append;
  const count = append.events.length;
  if (append.expectedVersion === 'any') {
    const header = await tx.run(sql.createOrBumpStream, [streamId, streamType, count, count]);
    if (header.affectedRows === 1) accept(plan, index, append, 0, streamType, false);
    else accept(plan, index, append, Number(header.insertId) - count, streamTypes.get(streamId), false);
    return;
  }
  try {
    await tx.run(sql.createStream, [streamId, streamType, count]);
    accept(plan, index, append, 0, streamType, false);
  } catch (error) {
    // InnoDB rolled back only this statement: the rest of the group goes on.
    if (!isDuplicateKey(error)) throw error;
    conflict(plan, index, await lockedVersion(tx, sql, streamId));
  }
}

/**
 * Locks, in one statement, the rows of the streams that must exist or that this process has seen
 * (a cached type means the row exists: streams are never deleted).
 */
async function lockKnownStreams(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streamTypes: StreamTypeCache,
  appends: readonly PreparedAppend[],
  plan: AppendPlan,
): Promise<void> {
  const ids = new Set<string>();
  for (const { streamId, expectedVersion: expected } of appends) {
    const mustExist = expected === 'stream_exists' || (typeof expected === 'number' && expected > 0);
    if (mustExist || streamTypes.get(streamId) !== undefined) ids.add(streamId);
  }
  await lockStreams(tx, sql, [...ids], plan.streams);
}

/** Reads (and locks) stream rows into `streams`; used for the group check and for unknown types. */
export async function lockStreams(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  ids: readonly string[],
  streams: Map<string, StreamState>,
): Promise<void> {
  for (const chunk of chunks(ids, IN_LIST_CHUNK)) {
    const size = inListSize(chunk.length);
    for (const row of await tx.rows(sql.lockStreams(size), padded(chunk, size))) {
      const id = row[0] as string;
      const state = streams.get(id);
      if (state === undefined)
        streams.set(id, { version: Number(row[1]), type: row[2] as string, dirty: false });
      else state.type = row[2] as string;
    }
  }
}

async function lockedVersion(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  streamId: string,
): Promise<number> {
  const rows = await tx.rows(sql.lockedVersion, [streamId]);
  return rows[0] === undefined ? 0 : Number(rows[0][0]);
}
