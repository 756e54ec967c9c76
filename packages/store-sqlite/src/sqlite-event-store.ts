import {
  type AppendOptions,
  type AppendResult,
  type AppendTransactionHook,
  type AppendTransactionHooks,
  assertName,
  ConcurrencyError,
  type EventRewrite,
  type EventRewriter,
  type EventStore,
  MAX_POSITION,
  type NewEvent,
  normalizeReadAll,
  normalizeReadStream,
  normalizeReadStreams,
  PositionsExhaustedError,
  type PreparedAppend,
  prepareAppend,
  prepareRewrite,
  prepareRewrites,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  recordedEventsOf,
  resolveIdempotentRetry,
  type StoredEventLocation,
  StoreUnavailableError,
  satisfiesExpectedVersion,
  ValidationError,
  withRecordedEvents,
} from '@strata/core';
import {
  AppendHookFailure,
  type SqliteAppendContext,
  type SqliteAppendHook,
  SqliteAppendHooks,
} from './sqlite-append-hooks.js';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store.js';
import { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.js';
import { isUniqueViolation, STORE_NAME, toAppendError, toStoreError } from './sqlite-errors.js';
import { SqliteEventRewrite } from './sqlite-event-rewrite.js';
import {
  type EventRow,
  type StreamEventRow,
  toRecordedEvent,
  toRecordedEvents,
  toStreamEvents,
} from './sqlite-event-rows.js';
import { type AppendHeadRow, SqliteEventStatements } from './sqlite-event-statements.js';
import { chunks, IN_LIST_CHUNK } from './sqlite-in-list.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { SqlitePrecedingPosition } from './sqlite-preceding-position.js';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.js';
import type { SqliteStoreOptions } from './sqlite-store-options.js';

/** Thrown inside the append transaction to roll it back; resolved once the transaction is gone. */
class AppendConflict {
  /** `undefined` when a unique constraint fired and the stream's version must be read again. */
  constructor(
    readonly actualVersion: number | undefined,
    /** The unique violation, when one fired. */
    readonly cause?: unknown,
  ) {}
}

/**
 * The embedded default `EventStore`: one SQLite file (WAL mode) through better-sqlite3. Several
 * stores, in one process or several, can share the file; SQLite's write lock orders their appends.
 * `snapshots`, `checkpoints`, `deadLetters` and `keys` live in the same file, under the same table
 * prefix.
 */
export class SqliteEventStore<DB extends SqliteDatabase = SqliteDatabase>
  implements EventStore, EventRewriter, AppendTransactionHooks<SqliteDatabase>
{
  /** Snapshots in the same database. */
  readonly snapshots: SqliteSnapshotStore;
  /** Projection checkpoints in the same database. */
  readonly checkpoints: SqliteCheckpointStore;
  /** Projectors' dead letters in the same database. */
  readonly deadLetters: SqliteDeadLetterStore;
  /** Wrapped data keys for field-level encryption, in the same database. */
  readonly keys: SqliteKeyStore;
  private readonly connection: SqliteConnection<DB>;
  private readonly hooks = new SqliteAppendHooks<DB>();
  private readonly preceding: SqlitePrecedingPosition;
  private statements: SqliteEventStatements | undefined;
  private rewrites: SqliteEventRewrite | undefined;
  private id: string | undefined;

  constructor(options: SqliteStoreOptions<DB>) {
    this.connection = new SqliteConnection(options);
    this.snapshots = new SqliteSnapshotStore(this.connection);
    this.checkpoints = new SqliteCheckpointStore(this.connection);
    this.deadLetters = new SqliteDeadLetterStore(this.connection);
    this.keys = new SqliteKeyStore(this.connection);
    this.preceding = new SqlitePrecedingPosition(
      this.connection.tables.events,
      () => this.connection.typeIndexed,
    );
  }

  /**
   * Runs `hook` inside every append's transaction, after the inserts: the place for realtime
   * projections to write read models atomically with the events. Returns a function that removes it.
   * Idempotent retries write nothing and run no hook.
   */
  onAppend(hook: SqliteAppendHook<DB>): () => void {
    return this.hooks.add(hook);
  }

  /**
   * `onAppend` in the shape every SQL store shares (`AppendTransactionHooks`): the hook gets the
   * append's connection as `tx`, and must be synchronous like every SQLite hook. Same order, same
   * rollback rules as `onAppend`.
   */
  onAppendTransaction(hook: AppendTransactionHook<SqliteDatabase>): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    // The hook's result passes through, so a returned Promise is refused like an onAppend hook's.
    const adapted = ({ db, events }: SqliteAppendContext<DB>) =>
      hook({
        tx: db,
        events,
        precedingPosition: (types) => this.preceding.below(db, events[0]!.position, types),
      });
    return this.hooks.add(adapted as SqliteAppendHook<DB>);
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const append = prepareAppend(streamId, events, options);
    const statements = this.prepared();
    try {
      return statements.transactions.write(() => this.write(statements, append));
    } catch (error) {
      if (error instanceof AppendConflict) return this.resolveConflict(append, error);
      if (error instanceof AppendHookFailure) throw error.error;
      if (PositionsExhaustedError.isInstance(error)) return this.resolveExhausted(append, error);
      throw toAppendError(error, this.connection.handle);
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    const statements = this.prepared();
    try {
      const statement = direction === 'forward' ? statements.readForward : statements.readBackward;
      const rows = statement.all(streamId, fromVersion, toVersion, limit ?? -1) as StreamEventRow[];
      return toStreamEvents(rows, streamId);
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    const statements = this.prepared();
    const result = new Map<string, RecordedEvent[]>();
    for (const id of ids) result.set(id, []);
    const readChunk = (chunk: string[]) => {
      const rows = statements.readStreams.all(chunk, [], [fromVersion]) as EventRow[];
      for (const row of rows) result.get(row[2])?.push(toRecordedEvent(row));
    };
    try {
      if (ids.length <= IN_LIST_CHUNK) readChunk(ids);
      else statements.transactions.read(() => chunks(ids).forEach(readChunk));
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
    return result;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit, types } = normalizeReadAll(options);
    const statements = this.prepared();
    if (after >= MAX_POSITION || types?.length === 0) return [];
    try {
      if (types === undefined)
        return toRecordedEvents(statements.readAll.all(after, limit ?? -1) as EventRow[]);
      if (types.length <= IN_LIST_CHUNK) {
        return toRecordedEvents(statements.readAllByTypes.all(types, [after], [limit ?? -1]) as EventRow[]);
      }
      // One snapshot for every chunk, or a chunk read before a late commit would skip events
      // that a later chunk's page steps over. Each chunk's first `limit` rows hold the union's.
      const rows = statements.transactions.read(() =>
        chunks(types).flatMap((chunk) => statements.readAllByTypes.all(chunk, [after], [limit ?? -1])),
      );
      (rows as EventRow[]).sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
      return toRecordedEvents((limit === undefined ? rows : rows.slice(0, limit)) as EventRow[]);
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    const statements = this.prepared();
    try {
      return this.currentVersion(statements, streamId);
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  /**
   * Rewrites one event's type, schema version and payload in place, if it still has the id,
   * position, type and schema version the call expects (see core's `EventRewriter`). One guarded
   * UPDATE in a write transaction: a concurrent rewriter of the same event waits, then conflicts.
   */
  async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    const statements = this.prepared();
    try {
      this.rewrites ??= new SqliteEventRewrite(this.connection.database(), this.connection.tables);
      const rewrites = this.rewrites;
      statements.transactions.write(() => rewrites.run(prepared));
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  /**
   * Rewrites a batch of events in place, all or nothing (see core's `EventRewriter.rewriteEvents`):
   * the guarded UPDATEs run in one write transaction, and the first refusal rolls it back.
   */
  async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    const prepared = prepareRewrites(rewrites);
    const statements = this.prepared();
    if (prepared.length === 0) return;
    try {
      this.rewrites ??= new SqliteEventRewrite(this.connection.database(), this.connection.tables);
      const rewriter = this.rewrites;
      statements.transactions.write(() => {
        for (const rewrite of prepared) rewriter.run(rewrite);
      });
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  /**
   * The last position handed out, or the position floor when it is higher (the newest events were
   * deleted, or the log was started past 0), so it never goes backward. One statement, so one
   * snapshot; appends take SQLite's write lock and commit in position order, so none commits below it later.
   */
  async lastPosition(): Promise<bigint> {
    const statements = this.prepared();
    try {
      const [position] = statements.lastPosition.get() as [bigint | null];
      // SQL's max() of anything and NULL is NULL: the floor's one row is missing.
      if (position === null) {
        throw new StoreUnavailableError(
          STORE_NAME,
          new Error(`${this.connection.tables.positionFloor} holds no row`),
        );
      }
      return position;
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
  }

  /** The id made once in this database's storage table by the migrations. */
  async storageId(): Promise<string> {
    const db = this.connection.database();
    if (this.id !== undefined) return this.id;
    try {
      const row = db.prepare(`SELECT id FROM ${this.connection.tables.storage}`).raw(true).get() as
        | [string]
        | undefined;
      if (row === undefined) {
        throw new StoreUnavailableError(
          STORE_NAME,
          new Error(`${this.connection.tables.storage} holds no row`),
        );
      }
      this.id = row[0];
      return this.id;
    } catch (error) {
      throw toStoreError(error, db);
    }
  }

  /** Closes the database if the store opened it; a `Database` you passed in stays open. */
  async close(): Promise<void> {
    this.connection.close();
  }

  private prepared(): SqliteEventStatements {
    const db = this.connection.database();
    if (this.statements !== undefined) return this.statements;
    try {
      this.statements = new SqliteEventStatements(db, this.connection.tables);
      return this.statements;
    } catch (error) {
      throw toStoreError(error, db);
    }
  }

  /** Runs inside the write transaction. */
  private write(statements: SqliteEventStatements, append: PreparedAppend): AppendResult {
    const { streamId, events } = append;
    const head = (statements.headOfLiveStream.get(streamId) ??
      statements.headOfEmptyStream.get(streamId)) as AppendHeadRow;
    // SQL's max() of anything and NULL is NULL: the floor's one row is missing.
    if (head[2] === null) {
      throw new StoreUnavailableError(
        STORE_NAME,
        new Error(`${this.connection.tables.positionFloor} holds no row`),
      );
    }
    const currentVersion = Number(head[0]);
    const positionBefore = head[2];
    // A failed check may still be a retry of a batch that committed: decided after the rollback.
    if (!satisfiesExpectedVersion(append.expectedVersion, currentVersion))
      throw new AppendConflict(currentVersion);
    // Checked before any write; the ids are checked after the rollback (a resend of a batch that
    // filled the log still gets its original result).
    if (positionBefore + BigInt(events.length) > MAX_POSITION) throw new PositionsExhaustedError(STORE_NAME);
    // A stream whose newest events were deleted keeps its type and goes on from its deleted head.
    const streamType = head[1] ?? append.streamType;
    const recordedAt = Date.now();
    try {
      statements.insertEvents.insert(
        { streamId, streamType, positionBefore, versionBefore: currentVersion, recordedAt },
        events,
      );
    } catch (error) {
      // An event id that exists already (a retry?) or a (stream, version) race.
      if (isUniqueViolation(error)) throw new AppendConflict(undefined, error);
      throw error;
    }
    const lastVersion = currentVersion + events.length;
    const appendedLast = positionBefore + BigInt(events.length);
    const result = { streamId, firstVersion: currentVersion + 1, lastVersion, lastPosition: appendedLast };
    const recorded = () =>
      recordedEventsOf(append, {
        streamType,
        firstVersion: currentVersion + 1,
        lastPosition: appendedLast,
        recordedAt,
      });
    if (this.hooks.size === 0) return withRecordedEvents(result, recorded);
    // The hooks need the events now; the caller gets the same array.
    const hookEvents = recorded();
    this.hooks.run(this.connection.database(), hookEvents);
    return withRecordedEvents(result, () => hookEvents);
  }

  /** After the rolled-back transaction: an idempotent retry, a duplicate id, or a real conflict. */
  private resolveConflict(append: PreparedAppend, conflict: AppendConflict): AppendResult {
    let retried: AppendResult | undefined;
    let version: number;
    try {
      const statements = this.prepared();
      retried = resolveIdempotentRetry(append, this.findEvents(statements, append));
      version = conflict.actualVersion ?? this.currentVersion(statements, append.streamId);
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
    if (retried !== undefined) return retried;
    // Under SQLite's write lock a unique violation is no race: the tables disagree (rows written
    // around the store). Only a version that fails the expected one is a conflict.
    if (satisfiesExpectedVersion(append.expectedVersion, version)) {
      throw new StoreUnavailableError(STORE_NAME, conflict.cause);
    }
    throw new ConcurrencyError(append.streamId, append.expectedVersion, version);
  }

  /**
   * A full log refuses the insert before its ids are checked; a resent batch recorded nothing new,
   * so it still gets its original result (or `DuplicateEventError`).
   */
  private resolveExhausted(append: PreparedAppend, exhausted: PositionsExhaustedError): AppendResult {
    let found: StoredEventLocation[];
    try {
      found = this.findEvents(this.prepared(), append);
    } catch (error) {
      throw toStoreError(error, this.connection.handle);
    }
    const retried = resolveIdempotentRetry(append, found);
    if (retried !== undefined) return retried;
    throw exhausted;
  }

  private findEvents(statements: SqliteEventStatements, append: PreparedAppend): StoredEventLocation[] {
    const found: StoredEventLocation[] = [];
    for (const ids of chunks(append.events.map((event) => event.id))) {
      for (const row of statements.findEvents.all(ids, [], []) as [string, string, bigint, bigint][]) {
        found.push({ id: row[0], streamId: row[1], version: Number(row[2]), position: row[3] });
      }
    }
    return found;
  }

  private currentVersion(statements: SqliteEventStatements, streamId: string): number {
    return (statements.streamVersion.get(streamId, streamId) as [number])[0];
  }
}

/** Creates a store over a file path, `':memory:'`, or a better-sqlite3 `Database` you own. */
export function createSqliteEventStore<DB extends SqliteDatabase = SqliteDatabase>(
  options: SqliteStoreOptions<DB>,
): SqliteEventStore<DB> {
  return new SqliteEventStore(options);
}
