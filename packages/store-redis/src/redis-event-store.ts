import { randomBytes } from 'node:crypto';
import {
  type AppendOptions,
  type AppendResult,
  assertName,
  type EventRewrite,
  type EventRewriter,
  type EventStore,
  type NewEvent,
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
  StoreUnavailableError,
  ValidationError,
} from '@strata/core';
import { runAppend } from './append-script.js';
import { decodeEvents } from './event-codec.js';
import { lastLogPosition, readLog } from './log-reader.js';
import { readNewestScript } from './read-range-script.js';
import { RedisAppendNotifier } from './redis-append-notifier.js';
import { RedisCheckpointStore } from './redis-checkpoint-store.js';
import { RedisConnection, STORE_NAME } from './redis-connection.js';
import { RedisDeadLetterStore } from './redis-dead-letter-store.js';
import { rewriteRedisEvents } from './redis-event-rewrite.js';
import { RedisKeyStore } from './redis-key-store.js';
import { RedisLeaseProvider } from './redis-lease-provider.js';
import { RedisSnapshotStore } from './redis-snapshot-store.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { unsupportedInCluster } from './redis-unsupported.js';
import { readStreamsPipelined } from './streams-reader.js';

/**
 * An `EventStore` on Redis. Each stream is a list of JSON-encoded events (one `LRANGE` reads any
 * version range); one Lua script does the id lookup, the version check and the writes atomically.
 * See the package README for the key layout, cluster support and durability settings.
 */
export class RedisEventStore implements EventStore, EventRewriter {
  private readonly connection: RedisConnection;
  private id: string | undefined;
  /** Snapshots over the same connection and key prefix; closed with the store. */
  readonly snapshots: RedisSnapshotStore;
  /** Projection checkpoints over the same connection and key prefix; closed with the store. */
  readonly checkpoints: RedisCheckpointStore;
  /** Projectors' dead letters over the same connection and key prefix; closed with the store. */
  readonly deadLetters: RedisDeadLetterStore;
  /** Wrapped data keys for field-level encryption over the same connection and key prefix; closed with the store. */
  readonly keys: RedisKeyStore;
  /** Leases (`SET NX PX` with a fence counter) over the same connection and key prefix; released on close. */
  readonly leases: RedisLeaseProvider;
  /**
   * Append notices (pub/sub on `<prefix>appends`) from every store over this key prefix, in any
   * process: wake projection runners with it. Listens on a connection of its own.
   */
  readonly appendNotifier: RedisAppendNotifier;
  private readonly notifyAppends: boolean;

  constructor(options: RedisStoreOptions) {
    this.connection = new RedisConnection(options);
    this.notifyAppends = options.notifyAppends ?? true;
    if (typeof this.notifyAppends !== 'boolean') {
      throw new ValidationError('options.notifyAppends', 'must be a boolean');
    }
    this.appendNotifier = new RedisAppendNotifier(this.connection);
    this.snapshots = new RedisSnapshotStore(options, this.connection);
    this.checkpoints = new RedisCheckpointStore(options, this.connection);
    this.deadLetters = new RedisDeadLetterStore(options, this.connection);
    this.keys = new RedisKeyStore(options, this.connection);
    this.leases = new RedisLeaseProvider(options, this.connection);
  }

  /** `'cluster'` or `'standalone'`: which key layout and guarantees this store uses. */
  get mode(): 'cluster' | 'standalone' {
    return this.connection.cluster ? 'cluster' : 'standalone';
  }

  // Not async: the script's reply becomes the result inside the call's own promise.
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    try {
      const channel = this.notifyAppends ? this.connection.keys.appendChannel : undefined;
      return runAppend(this.connection, prepareAppend(streamId, events, options), channel);
    } catch (error) {
      // Bad input, refused before anything is sent.
      return Promise.reject(error);
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    this.connection.assertOpen();
    if (limit === 0 || fromVersion > toVersion) return [];
    const key = this.connection.keys.events(streamId);
    const open = toVersion === Number.MAX_SAFE_INTEGER;
    let entries: string[];
    if (direction === 'backward' && limit !== undefined) {
      entries = (await this.connection.run((client) =>
        readNewestScript.run(client, [key], [fromVersion, toVersion, limit]),
      )) as string[];
    } else {
      const last =
        direction === 'forward' && limit !== undefined
          ? Math.min(toVersion, fromVersion + limit - 1)
          : toVersion;
      const stop = open && last === toVersion ? -1 : last - 1;
      entries = await this.connection.run((client) => client.lrange(key, fromVersion - 1, stop));
    }
    const events = decodeEvents(entries, streamId);
    return direction === 'backward' ? events.reverse() : events;
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    this.connection.assertOpen();
    return readStreamsPipelined(this.connection, ids, fromVersion);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const normalized = normalizeReadAll(options);
    this.connection.assertOpen();
    if (this.connection.cluster) throw unsupportedInCluster('readAll');
    return readLog(this.connection, normalized);
  }

  /**
   * Standalone: the last position in the global log (its start while the log is empty). A Cluster
   * keeps no global log, so, like `readAll`, this throws `UnsupportedOperationError` there.
   */
  async lastPosition(): Promise<bigint> {
    this.connection.assertOpen();
    if (this.connection.cluster) throw unsupportedInCluster('lastPosition');
    return lastLogPosition(this.connection);
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    const key = this.connection.keys.events(streamId);
    return this.connection.run((client) => client.llen(key));
  }

  /**
   * Rewrites one event's type, schema version and payload in place, if it still has the id,
   * position, type and schema version the call expects (see core's `EventRewriter`). A script
   * replaces the stream's entry and, standalone, the global log's, in one atomic step, and only if
   * the entry is still the one the guard was checked on. Works on a Cluster too: a stream's keys
   * share one slot.
   */
  async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    this.connection.assertOpen();
    await rewriteRedisEvents(this.connection, [prepared]);
  }

  /**
   * Rewrites a batch of events in place, all or nothing (see core's `EventRewriter.rewriteEvents`):
   * one script checks every entry against what the guards were checked on, then replaces them all.
   * On a Cluster, a batch must stay within one hash slot (one stream always does); one that spans
   * slots is refused with `UnsupportedOperationError` and nothing is written.
   */
  async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    const prepared = prepareRewrites(rewrites);
    this.connection.assertOpen();
    await rewriteRedisEvents(this.connection, prepared);
  }

  /**
   * The id kept under `<prefix>storage`: the first store to ask sets a random one (SET NX), and
   * every store over this Redis and prefix reads that one.
   */
  async storageId(): Promise<string> {
    if (this.id !== undefined) {
      this.connection.assertOpen();
      return this.id;
    }
    const key = this.connection.keys.storage;
    const id = await this.connection.run(async (client) => {
      await client.set(key, randomBytes(16).toString('hex'), 'NX');
      return client.get(key);
    });
    if (id === null)
      throw new StoreUnavailableError(STORE_NAME, new Error(`${key} was deleted while it was read`));
    this.id = id;
    return id;
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    await this.appendNotifier.close();
    await this.leases.close();
    await this.connection.close();
  }
}

/** Creates a Redis event store; see `RedisStoreOptions`. */
export function createRedisEventStore(options: RedisStoreOptions): RedisEventStore {
  return new RedisEventStore(options);
}
