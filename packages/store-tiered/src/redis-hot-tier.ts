import type { RecordedEvent } from '@strata/core';
import { CallDeadlines, ValidationError } from '@strata/core';
import { Redis } from 'ioredis';
import { formatHeader, formatVerifiedAt, HEADER_LENGTH, parseHeader } from './hot-copy-header.js';
import { decodeHotEvents, encodeHotEvents } from './hot-event-codec.js';
import {
  decodeHotSnapshot,
  encodeHotSnapshot,
  type HotSnapshot,
  type HotSnapshotRead,
  type SnapshotChange,
  type SnapshotPromoteOutcome,
  type SnapshotWriteOutcome,
} from './hot-snapshot.js';
import {
  INVALIDATE_SCRIPT,
  SNAPSHOT_BEGIN_SCRIPT,
  SNAPSHOT_END_SCRIPT,
  SNAPSHOT_PROMOTE_SCRIPT,
  SNAPSHOT_READ_SCRIPT,
} from './hot-snapshot-scripts.js';
import type {
  CopyNotices,
  CopyWatch,
  ExtendOutcome,
  HotCopyBounds,
  HotRead,
  HotReadRange,
  HotTier,
  HotWrite,
  PromoteOutcome,
} from './hot-tier.js';
import {
  CONFIRM_SCRIPT,
  EXTEND_SCRIPT,
  INVALIDATE_REWRITTEN_SCRIPT,
  PEEK_MANY_SCRIPT,
  PROMOTE_SCRIPT,
  READ_SCRIPT,
} from './hot-tier-scripts.js';
import type { LuaScript } from './lua-script.js';
import { isContiguous, OPEN_END } from './read-range.js';
import {
  DEFAULT_HOT_TIMEOUT_MS,
  type HotArgument,
  type RedisHotClient,
  recommendedHotRedisOptions,
} from './redis-hot-client.js';
import {
  assertKeyPrefix,
  DEFAULT_HOT_KEY_PREFIX,
  hotCopyKeys,
  hotRewriteBarKey,
  hotSnapshotKeys,
  storageKeyPrefix,
} from './redis-hot-keys.js';
import { whenReady } from './redis-readiness.js';

/** How often a copy watch checks that its connection still answers (see `watchCopies`). */
const COPY_WATCH_HEARTBEAT_MS = 1_000;

export interface RedisHotTierOptions {
  /** Prepended to every key; defaults to `strata:hot:`. Must not contain `{` or `}`. */
  keyPrefix?: string;
  /**
   * The longest a hot-tier call may take, waiting for a connection included, before it fails
   * (and counts toward the circuit breaker); defaults to 250 ms. Also the command timeout of a
   * client created from a URL.
   */
  timeoutMs?: number;
}

/**
 * The hot tier on Redis (standalone or Cluster). Each stream's copy is two strings with one hash
 * tag: its data (a fixed-width header with the copy's bounds and verification time, then its
 * events) and the byte offsets of its events. A read of the whole copy is one GET; every other
 * operation that depends on the copy is one Lua script, run by SHA.
 */
export class RedisHotTier implements HotTier {
  readonly keyPrefix: string;
  readonly timeoutMs: number;
  private readonly deadlines: CallDeadlines;
  private readonly client: RedisHotClient;
  private readonly owned: Redis | undefined;

  constructor(redis: RedisHotClient | string, options: RedisHotTierOptions = {}) {
    const keyPrefix = options.keyPrefix ?? DEFAULT_HOT_KEY_PREFIX;
    assertKeyPrefix(keyPrefix);
    const timeoutMs = options.timeoutMs ?? DEFAULT_HOT_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new ValidationError('options.timeoutMs', 'must be an integer >= 1');
    }
    this.keyPrefix = keyPrefix;
    this.timeoutMs = timeoutMs;
    this.deadlines = new CallDeadlines(
      timeoutMs,
      () => new Error(`the Redis hot tier did not answer within ${timeoutMs} ms`),
    );
    if (typeof redis === 'string') {
      // lazyConnect: creating the tier never throws or logs; the first call connects.
      const client = new Redis(redis, { ...recommendedHotRedisOptions(timeoutMs), lazyConnect: true });
      // Failures reach the caller through the commands; an unhandled 'error' event would only be noise.
      client.on('error', () => {});
      this.client = client;
      this.owned = client;
    } else if (typeof redis === 'object' && redis !== null && typeof redis.call === 'function') {
      this.client = redis;
      this.owned = undefined;
    } else {
      throw new ValidationError('redis', 'must be an ioredis Redis or Cluster client, or a redis:// URL');
    }
  }

  async read(streamId: string, range: HotReadRange, refreshTtlSeconds: number | undefined): Promise<HotRead> {
    if (isWholeStream(range) && refreshTtlSeconds === undefined) return this.readWhole(streamId);
    const args = [
      range.fromVersion,
      range.toVersion,
      range.limit ?? -1,
      range.direction === 'backward' ? 1 : 0,
      refreshTtlSeconds ?? 0,
    ];
    const reply = (await this.script(READ_SCRIPT, streamId, args, true)) as Buffer[];
    const kind = String(reply[0]);
    if (kind === 'absent' || kind === 'dropped') return { kind };
    const copy = parseHeader(String(reply[1]));
    if (copy === undefined) return this.dropBroken(streamId);
    if (kind === 'uncovered') return { kind, copy };
    const events = this.decode(streamId, reply[2]!, 0);
    if (events === undefined || (events[0] !== undefined && events[0].version < copy.fromVersion)) {
      return this.dropBroken(streamId);
    }
    return { kind: 'covered', copy, events };
  }

  /**
   * The whole copy in one GET: no script, and one string to decode. The data holds its own
   * bounds, so the read checks its events against them instead of trusting them.
   */
  private async readWhole(streamId: string): Promise<HotRead> {
    const { data } = hotCopyKeys(this.keyPrefix, streamId);
    const reply = (await this.guarded(() => this.client.callBuffer('get', [data]))) as Buffer | null;
    if (reply === null) return { kind: 'absent' };
    const copy = parseHeader(reply.toString('latin1', 0, HEADER_LENGTH));
    if (copy === undefined) return this.dropBroken(streamId);
    if (copy.fromVersion > 1) return { kind: 'uncovered', copy };
    const events = this.decode(streamId, reply, HEADER_LENGTH);
    if (events === undefined || !spans(events, copy.fromVersion, copy.toVersion)) {
      return this.dropBroken(streamId);
    }
    return { kind: 'covered', copy, events };
  }

  /** Decoded, contiguous events, or `undefined` if the bytes are not what the hot tier wrote. */
  private decode(streamId: string, reply: Buffer, start: number): RecordedEvent[] | undefined {
    try {
      const events = decodeHotEvents(streamId, reply, start);
      return isContiguous(events) ? events : undefined;
    } catch {
      return undefined;
    }
  }

  /** A copy that does not hold what its header says is deleted, never served. */
  private async dropBroken(streamId: string): Promise<HotRead> {
    await this.invalidate(streamId);
    return { kind: 'dropped' };
  }

  async peek(streamId: string): Promise<HotCopyBounds | undefined> {
    const { data } = hotCopyKeys(this.keyPrefix, streamId);
    const reply = (await this.command('getrange', [data, 0, HEADER_LENGTH - 1])) as string | null;
    return reply ? parseHeader(reply) : undefined;
  }

  async peekMany(streamIds: readonly string[]): Promise<(HotCopyBounds | undefined)[]> {
    // A Cluster refuses a script whose keys live in several slots, and each stream has its own.
    if (isCluster(this.client)) return Promise.all(streamIds.map((streamId) => this.peek(streamId)));
    const keys = streamIds.map((streamId) => hotCopyKeys(this.keyPrefix, streamId).data);
    const replies = (await this.guarded(() => PEEK_MANY_SCRIPT.run(this.client, keys, []))) as string[];
    return streamIds.map((_, i) => (replies[i] ? parseHeader(replies[i]) : undefined));
  }

  async promote(
    streamId: string,
    events: readonly RecordedEvent[],
    write: HotWrite,
  ): Promise<PromoteOutcome> {
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) throw new RangeError('promote needs at least one event');
    const { body, offsets } = encodeHotEvents(events);
    const header = formatHeader(first.version, last.version, write.verifiedAt);
    // A Cluster would broadcast every notice to every node, and nothing listens there.
    const channel = isCluster(this.client) ? '' : this.copyChannel;
    const args = [header, body, offsets, write.ttlSeconds, channel, streamId];
    const { data, offsets: offsetsKey } = hotCopyKeys(this.keyPrefix, streamId);
    const bar = hotRewriteBarKey(this.keyPrefix, streamId);
    return (await this.guarded(() =>
      PROMOTE_SCRIPT.run(this.client, [data, offsetsKey, bar], args),
    )) as PromoteOutcome;
  }

  async extend(
    streamId: string,
    afterVersion: number,
    lastVersion: number,
    events: readonly RecordedEvent[],
    write: HotWrite,
  ): Promise<ExtendOutcome> {
    const { body, offsets } = encodeHotEvents(events);
    const verifiedAt = formatVerifiedAt(write.verifiedAt);
    const args = [afterVersion, lastVersion, verifiedAt, write.ttlSeconds, write.maxEvents, body, offsets];
    return (await this.script(EXTEND_SCRIPT, streamId, args)) as ExtendOutcome;
  }

  async confirm(streamId: string, toVersion: number, verifiedAt: number): Promise<boolean> {
    const args = [toVersion, formatVerifiedAt(verifiedAt)];
    return (await this.script(CONFIRM_SCRIPT, streamId, args)) === 1;
  }

  async invalidate(streamId: string): Promise<void> {
    const { data, offsets } = hotCopyKeys(this.keyPrefix, streamId);
    const { snapshot } = hotSnapshotKeys(this.keyPrefix, streamId);
    await this.guarded(() => INVALIDATE_SCRIPT.run(this.client, [data, offsets, snapshot], []));
  }

  async invalidateRewritten(streamId: string, barSeconds: number): Promise<void> {
    const { data, offsets } = hotCopyKeys(this.keyPrefix, streamId);
    const bar = hotRewriteBarKey(this.keyPrefix, streamId);
    await this.guarded(() =>
      INVALIDATE_REWRITTEN_SCRIPT.run(this.client, [data, offsets, bar], [barSeconds]),
    );
  }

  async readSnapshot(streamId: string, refreshTtlSeconds: number | undefined): Promise<HotSnapshotRead> {
    const reply = (await this.snapshotScript(SNAPSHOT_READ_SCRIPT, streamId, [refreshTtlSeconds ?? 0])) as [
      string,
      string,
      number,
      string,
    ];
    const [value, generation, writers, serverTime] = reply;
    const copy = value === '' ? undefined : decodeHotSnapshot(value);
    // A value this tier did not write is never served: the read acts as if there were none, and a
    // writer's or reader's next step replaces it.
    return { copy, writing: writers > 0, seen: `${generation}:${serverTime}` };
  }

  async beginSnapshotWrite(
    streamId: string,
    token: string,
    leaseMs: number,
    ttlSeconds: number,
  ): Promise<void> {
    await this.snapshotScript(SNAPSHOT_BEGIN_SCRIPT, streamId, [token, leaseMs, ttlSeconds]);
  }

  async endSnapshotWrite(
    streamId: string,
    token: string,
    change: SnapshotChange,
    ttlSeconds: number,
  ): Promise<SnapshotWriteOutcome> {
    const args =
      change.kind === 'save'
        ? [token, 'save', encodeHotSnapshot(change.snapshot), change.snapshot.version, ttlSeconds]
        : change.kind === 'delete'
          ? [token, 'delete', '', change.beforeVersion ?? '', ttlSeconds]
          : [token, 'unknown', '', '', ttlSeconds];
    return (await this.snapshotScript(SNAPSHOT_END_SCRIPT, streamId, args)) as SnapshotWriteOutcome;
  }

  async promoteSnapshot(
    streamId: string,
    seen: string,
    snapshot: HotSnapshot | null,
    ttlSeconds: number,
  ): Promise<SnapshotPromoteOutcome> {
    const [generation = '', serverTime = ''] = seen.split(':');
    const args = [generation, serverTime, encodeHotSnapshot(snapshot), snapshot?.version ?? 0, ttlSeconds];
    return (await this.snapshotScript(SNAPSHOT_PROMOTE_SCRIPT, streamId, args)) as SnapshotPromoteOutcome;
  }

  /**
   * Listens on a connection of its own (a duplicate of this tier's) for the copies promotions
   * store under this key prefix. Live once its `SUBSCRIBE` is acknowledged; lapsed whenever that
   * connection closes, live again once it has reconnected and subscribed. Standalone Redis only:
   * on a Cluster it returns `undefined`.
   */
  watchCopies(notices: CopyNotices): CopyWatch | undefined {
    const client = this.client as Partial<Redis>;
    if (isCluster(this.client) || typeof client.duplicate !== 'function') return undefined;
    // Unlike the tier's own connection, this one may wait while disconnected: nothing waits for it.
    const subscriber = client.duplicate({
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    const channel = this.copyChannel;
    const { timeoutMs } = this;
    let closed = false;
    subscriber.on('error', () => {});
    subscriber.on('close', () => notices.lapsed());
    subscriber.on('message', (from: string, streamId: string) => {
      if (from === channel) notices.copied(streamId);
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(channel).then(
        () => {
          if (!closed && subscriber.status === 'ready') notices.live();
        },
        // The connection went away again: its next 'ready' subscribes again.
        () => notices.lapsed(),
      );
    });
    // A connection can die without a FIN (a cable, a NAT table, a paused server): nothing would
    // tell a listener that only reads. A PING unanswered within the tier's timeout drops it, which
    // lapses the notices until it has reconnected and subscribed again.
    const heartbeat = setInterval(() => {
      if (subscriber.status !== 'ready') return;
      // After close() the deadline must not reconnect what close() disconnected.
      const deadline = setTimeout(() => {
        if (!closed) subscriber.disconnect(true);
      }, timeoutMs);
      deadline.unref();
      const answered = () => clearTimeout(deadline);
      subscriber.ping().then(answered, answered);
    }, COPY_WATCH_HEARTBEAT_MS);
    heartbeat.unref();
    subscriber.connect().catch(() => {
      // Reconnects on its own (retryStrategy); until then notices stay lapsed.
    });
    return {
      async close() {
        closed = true;
        clearInterval(heartbeat);
        notices.lapsed();
        subscriber.disconnect();
      },
    };
  }

  async ping(): Promise<void> {
    await this.command('ping', []);
  }

  private get copyChannel(): string {
    return `${this.keyPrefix}copies`;
  }

  /**
   * The copies of one warm storage, under `<keyPrefix><storageId>:`, on this tier's connection
   * (closing the returned tier never closes it).
   */
  forStorage(storageId: string): RedisHotTier {
    return new RedisHotTier(this.client, {
      keyPrefix: storageKeyPrefix(this.keyPrefix, storageId),
      timeoutMs: this.timeoutMs,
    });
  }

  /** Closes the connection if this tier opened it from a URL; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.owned === undefined) return;
    try {
      await this.owned.quit();
    } catch {
      // The server is gone: there is nobody to say goodbye to.
      this.owned.disconnect();
    }
  }

  private script(
    script: typeof READ_SCRIPT,
    streamId: string,
    args: readonly HotArgument[],
    buffers = false,
  ): Promise<unknown> {
    const { data, offsets } = hotCopyKeys(this.keyPrefix, streamId);
    return this.guarded(() => script.run(this.client, [data, offsets], args, buffers));
  }

  private snapshotScript(
    script: LuaScript,
    streamId: string,
    args: readonly HotArgument[],
  ): Promise<unknown> {
    const { snapshot, writers } = hotSnapshotKeys(this.keyPrefix, streamId);
    return this.guarded(() => script.run(this.client, [snapshot, writers], args));
  }

  private command(name: string, args: (string | number)[]): Promise<unknown> {
    return this.guarded(() => this.client.call(name, args));
  }

  private guarded(operation: () => Promise<unknown>): Promise<unknown> {
    return this.deadlines.within((call) => {
      // The common case starts at once: no extra turn of the microtask queue per call.
      if (this.client.status === 'ready') return operation();
      return whenReady(this.client, this.timeoutMs).then(() => {
        // The caller was told this call failed: it must not run now.
        if (call.expired) throw new Error('the call expired before the Redis hot tier was reachable');
        return operation();
      });
    });
  }
}

function isCluster(client: RedisHotClient): boolean {
  return (client as { isCluster?: unknown }).isCluster === true;
}

function isWholeStream(range: HotReadRange): boolean {
  return (
    range.fromVersion === 1 &&
    range.toVersion === OPEN_END &&
    range.limit === undefined &&
    range.direction === 'forward'
  );
}

function spans(events: readonly RecordedEvent[], fromVersion: number, toVersion: number): boolean {
  return events.length === toVersion - fromVersion + 1 && events[0]?.version === fromVersion;
}

/**
 * A hot tier on an ioredis `Redis` or `Cluster` you own (see `recommendedHotRedisOptions` for the
 * settings it needs), or on a connection it opens from a `redis://` URL with those settings.
 */
export function createRedisHotTier(
  redis: RedisHotClient | string,
  options?: RedisHotTierOptions,
): RedisHotTier {
  return new RedisHotTier(redis, options);
}
