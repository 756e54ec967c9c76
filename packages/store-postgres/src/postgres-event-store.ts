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
  MAX_POSITION,
  MAX_VERSION,
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
import type { PostgresAppendHook } from './postgres-append-hooks.js';
import { PostgresAppendNotifier } from './postgres-append-notifier.js';
import { AppendQueue } from './postgres-append-queue.js';
import { PostgresAppendWriter } from './postgres-append-writer.js';
import { checkpointAdvanceQuery } from './postgres-checkpoint-advance.js';
import { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { PostgresConnection } from './postgres-connection.js';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
import { STORE_NAME } from './postgres-errors.js';
import { PostgresEventRewrite } from './postgres-event-rewrite.js';
import { PostgresEventRewriteBatch } from './postgres-event-rewrite-batch.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { PostgresLeaseProvider } from './postgres-lease-provider.js';
import { type MigrateResult, migrate } from './postgres-migrate.js';
import type { PostgresClient } from './postgres-pool.js';
import { precedingPositionQuery } from './postgres-preceding-position.js';
import { type PostgresReadStatements, readStatements } from './postgres-read-statements.js';
import type { RegisteredAppendHook } from './postgres-registered-hook.js';
import { decodeEvents } from './postgres-row-codec.js';
import { PostgresSnapshotStore } from './postgres-snapshot-store.js';
import {
  type PostgresStoreOptions,
  type ResolvedPostgresOptions,
  resolveOptions,
} from './postgres-store-options.js';
import { tableNames } from './postgres-table-names.js';
import { ensureTypeIndex } from './postgres-type-index.js';

/**
 * Group writes in flight at once per store. With one, the next group gathers every append made
 * while the current one commits, so under load one commit (one WAL flush) carries many appends.
 * Two overlapping groups measured slower: they only split the appends and wait for each other's
 * position lock.
 */
const GROUPS_IN_FLIGHT = 1;

/**
 * The `EventStore` contract on PostgreSQL. Appends are grouped and written by one server-side
 * function call; positions are handed out in commit order, so `readAll` is a plain indexed range
 * scan that never skips a late commit (docs/global-ordering.md). Create it with
 * `createPostgresEventStore`.
 */
export class PostgresEventStore implements EventStore, EventRewriter, AppendTransactionHooks<PostgresClient> {
  /** Snapshots in the same database, pool and table prefix. */
  readonly snapshots: PostgresSnapshotStore;
  /** Projection checkpoints in the same database, pool and table prefix. */
  readonly checkpoints: PostgresCheckpointStore;
  /** Projectors' dead letters in the same database, pool and table prefix. */
  readonly deadLetters: PostgresDeadLetterStore;
  /** Wrapped data keys for field-level encryption, in the same database, pool and table prefix. */
  readonly keys: PostgresKeyStore;
  /** Leases (advisory locks) on the same database, pool and table prefix: one active runner per projector. */
  readonly leases: PostgresLeaseProvider;
  /**
   * Append notices (LISTEN/NOTIFY) from every store over this schema and prefix, in any process: wake
   * projection runners with it. Its connection is checked out of the pool while anyone listens.
   */
  readonly appendNotifier: PostgresAppendNotifier;
  private readonly reads: PostgresReadStatements;
  private readonly rewrites: PostgresEventRewrite;
  private readonly batchRewrites: PostgresEventRewriteBatch;
  private readonly hooks = new Set<RegisteredAppendHook>();
  private readonly queue: AppendQueue;
  private closing: Promise<void> | undefined;
  private id: string | undefined;

  private constructor(
    private readonly connection: PostgresConnection,
    private readonly options: ResolvedPostgresOptions,
  ) {
    this.reads = readStatements(connection.tables);
    this.rewrites = new PostgresEventRewrite(connection, connection.tables);
    this.batchRewrites = new PostgresEventRewriteBatch(connection, connection.tables);
    const writer = new PostgresAppendWriter(connection, this.hooks, options.notifyAppends);
    this.queue = new AppendQueue(writer.write, options.batchSize, GROUPS_IN_FLIGHT);
    this.snapshots = new PostgresSnapshotStore(connection);
    this.checkpoints = new PostgresCheckpointStore(connection);
    this.deadLetters = new PostgresDeadLetterStore(connection);
    this.keys = new PostgresKeyStore(connection);
    this.leases = new PostgresLeaseProvider(connection);
    this.appendNotifier = new PostgresAppendNotifier(connection);
  }

  /**
   * Opens a store; runs `migrate()` first unless `options.migrate` is false. With `options.typeIndex`,
   * the open also builds the type index when it is missing (and waits for it).
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresEventStore> {
    const resolved = resolveOptions(options);
    const tables = tableNames(options.schema, options.tablePrefix);
    const connection = await PostgresConnection.open(options, resolved, tables);
    const store = new PostgresEventStore(connection, resolved);
    try {
      if (resolved.migrate) await store.migrate();
      // Asked for explicitly, so made even when another process owns the migrations.
      else if (resolved.typeIndex) await ensureTypeIndex(connection);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return store;
  }

  /**
   * Creates or upgrades the tables (versioned, idempotent, safe to run from several processes at
   * once), then, with `options.typeIndex`, makes the type index if it is missing. Called on open
   * unless `options.migrate` is false.
   */
  async migrate(): Promise<MigrateResult> {
    this.assertOpen();
    const result = await migrate(this.connection, { partitions: this.options.partitions });
    if (this.options.typeIndex) await ensureTypeIndex(this.connection);
    return result;
  }

  /**
   * Runs `hook` inside every append's transaction, after the inserts and before the commit: the place
   * for realtime projections to write read models atomically with the events. Hooks may be async.
   * Returns a function that removes it. Idempotent retries write nothing and run no hook.
   */
  onAppend(hook: PostgresAppendHook): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    return this.register({ run: (client, events) => hook({ client, events }) });
  }

  /**
   * `onAppend` in the shape every SQL store shares (`AppendTransactionHooks`): the hook gets the
   * append's client as `tx`. Same order, same rollback rules as `onAppend`. With
   * `options.advanceCheckpoint`, the append's own function call moves that checkpoint (after the
   * position lock, once per append holding events of its types) and the hook finds the outcome in
   * `checkpointAdvanced`: a realtime projector's bookkeeping then costs no round trip.
   */
  onAppendTransaction(
    hook: AppendTransactionHook<PostgresClient>,
    options?: AppendTransactionHookOptions,
  ): () => void {
    if (typeof hook !== 'function') throw new ValidationError('hook', 'must be a function');
    const request = normalizeAppendHookOptions(options);
    const preceding = precedingPositionQuery(this.connection.tables);
    const advance = checkpointAdvanceQuery(this.connection.tables);
    return this.register({
      run: (client, events, checkpointAdvanced) =>
        hook({
          tx: client,
          events,
          precedingPosition: (types) => preceding(client, events[0]!.position, types),
          advanceCheckpointFromPreceding: (name, position, types) =>
            advance(client, name, position, events[0]!.position, types),
          checkpointAdvanced,
        }),
      ...(request === undefined ? {} : { advance: request }),
    });
  }

  private register(hook: RegisteredAppendHook): () => void {
    this.hooks.add(hook);
    return () => {
      this.hooks.delete(hook);
    };
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const append = prepareAppend(streamId, events, options);
    this.assertOpen();
    return this.queue.push(append);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    this.assertOpen();
    const lastVersion = Math.min(toVersion, MAX_VERSION);
    if (limit === 0 || fromVersion > lastVersion) return [];
    const statement = direction === 'forward' ? this.reads.readStreamForward : this.reads.readStreamBackward;
    const { rows } = await this.connection.query(
      statement.query([streamId, fromVersion, lastVersion, limit ?? null]),
    );
    return decodeEvents(rows);
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    this.assertOpen();
    const result = new Map<string, RecordedEvent[]>(ids.map((id) => [id, []]));
    if (fromVersion > MAX_VERSION) return result;
    for (let start = 0; start < ids.length; start += this.options.batchSize) {
      const chunk = ids.slice(start, start + this.options.batchSize);
      const { rows } = await this.connection.query(this.reads.readStreams.query([chunk, fromVersion]));
      for (const event of decodeEvents(rows)) result.get(event.streamId)!.push(event);
    }
    return result;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit, types } = normalizeReadAll(options);
    this.assertOpen();
    if (limit === 0 || types?.length === 0 || after >= MAX_POSITION) return [];
    const values = [after.toString(), limit ?? null];
    const ofTypes =
      this.options.partitions === undefined
        ? this.reads.readAllOfTypes
        : this.reads.readAllOfTypesPartitioned;
    const query = types === undefined ? this.reads.readAll.query(values) : ofTypes.query([...values, types]);
    const { rows } = await this.connection.query(query);
    return decodeEvents(rows);
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    this.assertOpen();
    const { rows } = await this.connection.query(this.reads.streamVersion.query([streamId]));
    const row = rows[0] as [string] | undefined;
    return row === undefined ? 0 : Number(row[0]);
  }

  /**
   * Rewrites one event's type, schema version and payload in place, if it still has the id,
   * position, type and schema version the call expects (see core's `EventRewriter`): one guarded
   * UPDATE, in both table layouts.
   */
  async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    this.assertOpen();
    await this.rewrites.run(prepared);
  }

  /**
   * Rewrites a batch of events in place, all or nothing (see core's `EventRewriter.rewriteEvents`):
   * one transaction locks the rows, checks every guard, and updates them all in one statement.
   */
  async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    const prepared = prepareRewrites(rewrites);
    this.assertOpen();
    await this.batchRewrites.run(prepared);
  }

  /**
   * The highest position a statement sees now. Appends take positions under the position lock, held
   * until their commit is visible, so no transaction still holds a position below it: every later
   * commit lands above it. Not the sequence, which is ahead by the appends still in flight.
   */
  async lastPosition(): Promise<bigint> {
    this.assertOpen();
    const { rows } = await this.connection.query(this.reads.lastPosition.query([]));
    return BigInt((rows[0] as [string])[0]);
  }

  /** The id made once in the storage table by the migrations. */
  async storageId(): Promise<string> {
    this.assertOpen();
    if (this.id !== undefined) return this.id;
    const { rows } = await this.connection.query(this.reads.storageId.query([]));
    const row = rows[0] as [string] | undefined;
    if (row === undefined)
      throw new StoreUnavailableError(STORE_NAME, new Error('the storage table holds no row'));
    this.id = row[0];
    return this.id;
  }

  /**
   * Lets queued appends finish, then ends the pool if the store created it. A pool the caller
   * passed in stays open. Later calls throw `StoreClosedError`.
   */
  close(): Promise<void> {
    // Held leases and the listening connection keep pool connections checked out: they go before the pool ends.
    this.closing ??= this.queue
      .drain()
      .then(() => Promise.all([this.leases.close(), this.appendNotifier.close()]))
      .then(() => this.connection.close());
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new StoreClosedError(STORE_NAME);
  }
}

/** Opens a PostgreSQL event store (and runs `migrate()` unless `options.migrate` is false). */
export function createPostgresEventStore(options: PostgresStoreOptions): Promise<PostgresEventStore> {
  return PostgresEventStore.open(options);
}
