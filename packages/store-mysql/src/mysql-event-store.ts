import {
  type AppendOptions,
  type AppendResult,
  type AppendTransactionHook,
  type AppendTransactionHookOptions,
  type AppendTransactionHooks,
  assertName,
  type EventRewrite,
  type EventRewriter,
  type EventStore,
  type NewEvent,
  normalizeAppendHookOptions,
  normalizeReadAll,
  normalizeReadStream,
  normalizeReadStreams,
  prepareAppend,
  prepareRewrite,
  prepareRewrites,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  StoreClosedError,
  StoreUnavailableError,
  ValidationError,
} from '@strata/core';
import { chunks, inListSize, padded } from './in-list.js';
import type { MysqlAppendHook } from './mysql-append-hook.js';
import { MysqlAppendQueue } from './mysql-append-queue.js';
import { MysqlAppendSql } from './mysql-append-sql.js';
import { checkpointAdvanceQuery } from './mysql-checkpoint-advance.js';
import { MysqlCheckpointStore } from './mysql-checkpoint-store.js';
import { MysqlDeadLetterStore } from './mysql-dead-letter-store.js';
import type { MysqlPool, MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { STORE_NAME } from './mysql-errors.js';
import { findStoredEvents } from './mysql-event-lookup.js';
import { MysqlEventRewrite } from './mysql-event-rewrite.js';
import { type EventRow, toBigInt, toRecordedEvent } from './mysql-event-row.js';
import { MysqlKeyStore } from './mysql-key-store.js';
import { MysqlLeaseProvider } from './mysql-lease-provider.js';
import type { MigrateResult } from './mysql-migrate.js';
import { precedingPositionQuery } from './mysql-preceding-position.js';
import { MysqlReadSql } from './mysql-read-sql.js';
import type { RegisteredAppendHook } from './mysql-registered-hook.js';
import { MysqlSnapshotStore } from './mysql-snapshot-store.js';
import { MysqlStoreContext } from './mysql-store-context.js';
import type { MysqlStoreOptions } from './mysql-store-options.js';
import { StreamTypeCache } from './stream-type-cache.js';

/** Stream ids per `readStreams` query. */
const READ_STREAMS_CHUNK = 256;
/** Up to this many types, a limited `readAll` merges one index range per type. */
const MAX_MERGED_TYPES = 8;
const MAX_POSITION = 2n ** 64n - 1n;

/**
 * `EventStore` on MySQL 8 or MariaDB through mysql2. Appends made concurrently through one store
 * share transactions; positions are taken under one short lock as the last step before COMMIT, so
 * `readAll` never skips an event that commits late (see docs/global-ordering.md).
 * `snapshots`, `checkpoints`, `deadLetters` and `keys` use the same pool and table prefix.
 */
export class MysqlEventStore implements EventStore, EventRewriter, AppendTransactionHooks<MysqlQueryable> {
  /** Snapshots in the same database. */
  readonly snapshots: MysqlSnapshotStore;
  /** Projection checkpoints in the same database. */
  readonly checkpoints: MysqlCheckpointStore;
  /** Projectors' dead letters in the same database. */
  readonly deadLetters: MysqlDeadLetterStore;
  /** Wrapped data keys for field-level encryption, on the same pool and table prefix. */
  readonly keys: MysqlKeyStore;
  /** Leases (`GET_LOCK`) on the same database, pool and table prefix: one active runner per projector. */
  readonly leases: MysqlLeaseProvider;
  private readonly context: MysqlStoreContext;
  private readonly readSql: MysqlReadSql;
  private readonly rewrites: MysqlEventRewrite;
  private readonly streamTypes = new StreamTypeCache();
  private hooks: readonly RegisteredAppendHook[] = [];
  private id: string | undefined;
  private queue: Promise<MysqlAppendQueue> | undefined;
  private openQueue: MysqlAppendQueue | undefined;

  constructor(options: MysqlStoreOptions) {
    this.context = new MysqlStoreContext(options);
    this.readSql = new MysqlReadSql(this.context.tables);
    this.rewrites = new MysqlEventRewrite(this.context, this.context.tables);
    this.snapshots = new MysqlSnapshotStore(this.context);
    this.checkpoints = new MysqlCheckpointStore(this.context);
    this.deadLetters = new MysqlDeadLetterStore(this.context);
    this.keys = new MysqlKeyStore(this.context);
    this.leases = new MysqlLeaseProvider(this.context);
  }

  /** The pool the store runs on: the one passed in, or the one it created from the connection string. */
  get pool(): MysqlPool {
    return this.context.pool;
  }

  /** Creates or upgrades the tables; needed once when the store was opened with `migrate: false`. */
  migrate(): Promise<MigrateResult> {
    return this.context.migrate();
  }

  /**
   * `onAppend` in the shape every SQL store shares (`AppendTransactionHooks`): the hook gets the
   * append's connection as `tx`. Same order, same rollback rules as `onAppend`. With
   * `options.advanceCheckpoint`, a single append's procedure moves that checkpoint too (MariaDB,
   * after migration 10) and the hook finds the outcome in `checkpointAdvanced`: a realtime
   * projector's bookkeeping then costs no round trip. Groups of several appends, and MySQL, leave
   * it `undefined`: the hook's own path.
   */
  onAppendTransaction(
    hook: AppendTransactionHook<MysqlQueryable>,
    options?: AppendTransactionHookOptions,
  ): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    const request = normalizeAppendHookOptions(options);
    // Hooks run inside appends, so after the store opened: the layout is known by then.
    const indexed = () => this.context.layout?.typeIndex ?? false;
    const preceding = precedingPositionQuery(
      this.context.tables.events,
      this.context.options.queryTimeoutMs,
      indexed,
    );
    const advance = checkpointAdvanceQuery(this.context.tables, this.context.options.queryTimeoutMs, indexed);
    return this.register({
      run: (connection, events, checkpointAdvanced) =>
        hook({
          tx: connection,
          events,
          precedingPosition: (types) => preceding(connection, events[0]!.position, types),
          advanceCheckpointFromPreceding: (name, position, types) =>
            advance(connection, name, position, events[0]!.position, types),
          checkpointAdvanced,
        }),
      ...(request === undefined ? {} : { advance: request }),
    });
  }

  /**
   * Runs `hook` inside every append's transaction, after the inserts: the place for realtime
   * projections to write read models atomically with the events. Returns a function that removes
   * it. Idempotent retries write nothing and run no hook.
   */
  onAppend(hook: MysqlAppendHook): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    return this.register({ run: (connection, events) => hook({ connection, events }) });
  }

  private register(hook: RegisteredAppendHook): () => void {
    this.hooks = [...this.hooks, hook];
    return () => {
      this.hooks = this.hooks.filter((other) => other !== hook);
    };
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const append = prepareAppend(streamId, events, options);
    const queue = this.openQueue ?? (await this.appendQueue());
    // Checked right before enqueueing, with no await in between: close() waits for every append
    // enqueued before it, and no append reaches the pool after it.
    if (this.context.isClosed) throw new StoreClosedError(STORE_NAME);
    return queue.append(append);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    if (limit === 0 || fromVersion > toVersion) {
      await this.context.ready();
      return [];
    }
    const values: MysqlValue[] = [streamId, fromVersion, toVersion];
    if (limit !== undefined) values.push(String(limit));
    const rows = await this.context.select(this.readSql.readStream(direction, limit !== undefined), values);
    return rows.map(toRecordedEvent);
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    const result = new Map<string, RecordedEvent[]>();
    for (const id of ids) result.set(id, []);
    await this.context.ready();
    for (const chunk of chunks(ids, READ_STREAMS_CHUNK)) {
      const size = inListSize(chunk.length);
      const rows = await this.context.select(this.readSql.readStreams(size), [
        ...padded(chunk, size),
        fromVersion,
      ]);
      for (const row of rows as EventRow[]) result.get(row[1] as string)?.push(toRecordedEvent(row));
    }
    return result;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit, types } = normalizeReadAll(options);
    const layout = await this.context.ready();
    if (limit === 0 || types?.length === 0 || after >= MAX_POSITION) return [];
    const from = after.toString();
    let rows: unknown[][];
    if (types === undefined) {
      const values: MysqlValue[] = limit === undefined ? [from] : [from, String(limit)];
      rows = await this.context.select(this.readSql.readAll(limit !== undefined), values);
    } else if (layout.typeIndex && limit !== undefined && types.length <= MAX_MERGED_TYPES) {
      const values: MysqlValue[] = types.flatMap((type) => [type, from, String(limit)]);
      if (types.length > 1) values.push(String(limit));
      rows = await this.context.select(this.readSql.readAllOfTypesLimited(types.length), values);
    } else {
      const size = inListSize(types.length);
      const values: MysqlValue[] = [...padded(types, size), from];
      if (limit !== undefined) values.push(String(limit));
      rows = await this.context.select(this.readSql.readAllOfTypes(size, limit !== undefined), values);
    }
    return rows.map(toRecordedEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    const rows = await this.context.select(this.readSql.streamVersion(), [streamId]);
    return rows[0] === undefined ? 0 : Number(rows[0][0]);
  }

  /**
   * Rewrites one event's type, schema version and payload in place, if it still has the id,
   * position, type and schema version the call expects (see core's `EventRewriter`): one guarded
   * UPDATE keyed on `(stream_id, version)`, in both table layouts.
   */
  async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    if (this.context.isClosed) throw new StoreClosedError(STORE_NAME);
    await this.rewrites.run(prepared);
  }

  /**
   * Rewrites a batch of events in place, all or nothing (see core's `EventRewriter.rewriteEvents`):
   * the guarded UPDATEs run in one transaction, and the first refusal rolls it back.
   */
  async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    const prepared = prepareRewrites(rewrites);
    if (this.context.isClosed) throw new StoreClosedError(STORE_NAME);
    await this.rewrites.runBatch(prepared);
  }

  /**
   * The highest position a consistent read sees now. An append holds the sequence row from taking
   * its positions to its commit, so every append still open will commit above it, and one that rolls
   * back hands its positions out again above it too.
   */
  async lastPosition(): Promise<bigint> {
    const rows = await this.context.select(this.readSql.lastPosition(), []);
    return toBigInt(rows[0]![0]);
  }

  /** The id made once in the storage table by the migrations. */
  async storageId(): Promise<string> {
    if (this.id !== undefined) {
      if (this.context.isClosed) throw new StoreClosedError(STORE_NAME);
      return this.id;
    }
    const rows = await this.context.select(this.readSql.storageId(), []);
    const row = rows[0] as [string] | undefined;
    if (row === undefined)
      throw new StoreUnavailableError(STORE_NAME, new Error('the storage table holds no row'));
    this.id = row[0];
    return this.id;
  }

  /** Waits for the appends already accepted, then ends the pool if the store created it. */
  async close(): Promise<void> {
    await this.context.close(async () => {
      await this.openQueue?.close();
      // Held leases keep pool connections checked out: they go before the pool ends.
      await this.leases.close();
    });
  }

  private appendQueue(): Promise<MysqlAppendQueue> {
    this.queue ??= this.createQueue().catch((error: unknown) => {
      this.queue = undefined;
      throw error;
    });
    return this.queue;
  }

  private async createQueue(): Promise<MysqlAppendQueue> {
    const layout = await this.context.ready();
    const { db: pool, tables, options } = this.context;
    const sql = new MysqlAppendSql(tables, layout.partitions > 0, layout);
    const timeout = options.queryTimeoutMs;
    const store = this;
    this.openQueue = new MysqlAppendQueue({
      pool,
      maxBatchEvents: options.maxBatchEvents,
      maxAllowedPacket: layout.maxAllowedPacket,
      transaction: {
        sql,
        partitioned: layout.partitions > 0,
        streamTypes: this.streamTypes,
        get hooks() {
          return store.hooks;
        },
        queryTimeoutMs: timeout,
      },
      findEvents: (ids) => findStoredEvents(pool, sql, ids, timeout),
      streamVersion: (streamId) => this.streamVersion(streamId),
    });
    return this.openQueue;
  }
}

/** Creates a MySQL/MariaDB store; the tables are created on first use unless `migrate: false`. */
export function createMysqlEventStore(options: MysqlStoreOptions): MysqlEventStore {
  return new MysqlEventStore(options);
}
