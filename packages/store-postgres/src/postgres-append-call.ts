import {
  type AppendResult,
  ConcurrencyError,
  type PreparedAppend,
  recordedEventsOf,
  resolveIdempotentRetry,
  type StoredEventLocation,
  withRecordedEvents,
} from '@strata/core';
import {
  APPEND_CONFLICT,
  APPEND_IDS_EXIST,
  APPEND_WRITTEN,
  EXPECT_ANY,
  EXPECT_STREAM_EXISTS,
} from './postgres-append-function.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

const CALL_ARGUMENTS = `$1::text[], $2::text[], $3::bigint[], $4::integer[], $5::integer[], $6::text[], $7::text[],
      $8::text[], $9::text[], $10::integer[], $11::bigint[], $12::bigint`;
/** The advancing function's four more: the checkpoints' names, type counts and types, and `p_last_typed`. */
const ADVANCE_ARGUMENTS = `, $13::text[], $14::integer[], $15::text[], $16::integer[]`;

/**
 * The call of the append function, with its twelve parameters (see `callParameters`); with
 * `advancing`, of the function that also moves hooks' checkpoints (`appendAdvancingFunctionSql`),
 * with four more (`advanceParameters`) and a sixth column, `r_advanced`. With `notify`, the same
 * statement (so the same transaction) also calls `pg_notify` once with the storage's scope and
 * the group's last position: the server delivers it only if the transaction commits, and never
 * with event data. A last column counts the notices (0 or 1); it makes the server evaluate them,
 * and the decoder ignores it.
 */
export function appendCallStatement(
  t: PostgresTableNames,
  notify = false,
  advancing = false,
): PreparedStatement {
  const fn = advancing ? t.appendAdvancingFunction : t.appendFunction;
  const args = advancing ? CALL_ARGUMENTS + ADVANCE_ARGUMENTS : CALL_ARGUMENTS;
  const columns = `r_status, r_version, r_stream_type, r_first_position, r_found${advancing ? ', r_advanced' : ''}`;
  if (!notify) {
    return preparedStatement(`SELECT ${columns} FROM ${fn}(
      ${args})`);
  }
  // The channel and the scope are validated identifiers (no quotes), so they can be literals.
  return preparedStatement(
    `WITH r AS MATERIALIZED (
      SELECT f.*
        FROM ${fn}(${args})
        WITH ORDINALITY AS f(${columns}, j)
    ), notified AS (
      SELECT pg_notify('${t.appendChannel}', '${t.storageScope}:' || max(r.r_first_position + ($4::integer[])[r.j] - 1)::text)
        FROM r WHERE r.r_status = ${APPEND_WRITTEN} HAVING count(*) > 0
    )
    SELECT ${columns}, (SELECT count(*) FROM notified)
      FROM r ORDER BY r.j`,
  );
}

/** One row of the append function's result, as text. */
export type AppendFunctionRow = [
  status: string,
  version: string,
  streamType: string | null,
  first: string | null,
  found: string | null,
  /** The advancing function's `r_advanced` (see `decodeAdvanced`). */
  advanced?: string | null,
];

/** How one append of a group ended. */
export type AppendOutcome =
  | {
      kind: 'written';
      result: AppendResult;
      /** False for an idempotent retry, which wrote nothing (and whose result has no `events`). */
      fresh: boolean;
    }
  | { kind: 'failed'; error: unknown };

/**
 * What each append of a group came to, from the function's rows (one per append, in order).
 * `recordedAt` is the time the call stored, for the written appends' `events`.
 */
export function decodeOutcomes(
  appends: PreparedAppend[],
  rows: AppendFunctionRow[],
  recordedAt: number,
): AppendOutcome[] {
  return appends.map((append, i) => {
    const [status, version, streamType, first, found] = rows[i]!;
    const code = Number(status);
    const count = append.events.length;
    if (code === APPEND_WRITTEN) {
      const firstVersion = Number(version) + 1;
      const result = {
        streamId: append.streamId,
        firstVersion,
        lastVersion: firstVersion + count - 1,
        lastPosition: BigInt(first ?? '0') + BigInt(count - 1),
      };
      // The stream's type as stored: a stream's first append fixed it.
      const type = streamType ?? append.streamType;
      return {
        kind: 'written',
        fresh: true,
        result: withRecordedEvents(result, () =>
          recordedEventsOf(append, {
            streamType: type,
            firstVersion,
            lastPosition: result.lastPosition,
            recordedAt,
          }),
        ),
      };
    }
    if (code === APPEND_CONFLICT) {
      return {
        kind: 'failed',
        error: new ConcurrencyError(append.streamId, append.expectedVersion, Number(version)),
      };
    }
    if (code === APPEND_IDS_EXIST) return idempotentOutcome(append, found ?? '[]');
    return { kind: 'failed', error: new Error(`@strata/store-postgres: unknown append status ${status}`) };
  });
}

function idempotentOutcome(append: PreparedAppend, foundJson: string): AppendOutcome {
  const found: StoredEventLocation[] = (JSON.parse(foundJson) as [string, string, number, string][]).map(
    ([id, streamId, version, position]) => ({ id, streamId, version, position: BigInt(position) }),
  );
  try {
    const result = resolveIdempotentRetry(append, found);
    if (result !== undefined) return { kind: 'written', result, fresh: false };
    return { kind: 'failed', error: new ConcurrencyError(append.streamId, append.expectedVersion, 0) };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** The function's twelve parameters: per-append arrays, then per-event arrays in append order. */
export function callParameters(appends: PreparedAppend[], recordedAt: number): unknown[] {
  const streamIds: string[] = [];
  const streamTypes: string[] = [];
  const expected: number[] = [];
  const counts: number[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  const schemaVersions: number[] = [];
  const occurredAt: number[] = [];
  for (const append of appends) {
    streamIds.push(append.streamId);
    streamTypes.push(append.streamType);
    expected.push(expectedCode(append.expectedVersion));
    counts.push(append.events.length);
    for (const event of append.events) {
      ids.push(event.id);
      types.push(event.type);
      data.push(event.dataJson);
      metadata.push(event.metadataJson);
      schemaVersions.push(event.schemaVersion);
      occurredAt.push(event.occurredAt.getTime());
    }
  }
  // Stream rows are locked in stream id order, the same in every process, so groups cannot deadlock.
  const checkOrder = appends
    .map((append, i) => ({ id: append.streamId, i }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i))
    .map(({ i }) => i + 1);
  return [
    streamIds,
    streamTypes,
    expected,
    counts,
    checkOrder,
    ids,
    types,
    data,
    metadata,
    schemaVersions,
    occurredAt,
    recordedAt,
  ];
}

function expectedCode(expected: PreparedAppend['expectedVersion']): number {
  if (expected === 'any') return EXPECT_ANY;
  if (expected === 'stream_exists') return EXPECT_STREAM_EXISTS;
  if (expected === 'no_stream') return 0;
  return expected;
}
