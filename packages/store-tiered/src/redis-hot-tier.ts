import type { RecordedEvent } from '@strata/core';
import { ValidationError } from '@strata/core';
import { Redis } from 'ioredis';
import { decodeHotEvents, encodeHotEvent } from './hot-event-codec.js';
import type {
  ExtendOutcome,
  HotCopyBounds,
  HotRead,
  HotReadRange,
  HotTier,
  HotWrite,
  PromoteOutcome,
} from './hot-tier.js';
import { CONFIRM_SCRIPT, EXTEND_SCRIPT, PROMOTE_SCRIPT, READ_SCRIPT } from './hot-tier-scripts.js';
import {
  DEFAULT_HOT_TIMEOUT_MS,
  type RedisHotClient,
  recommendedHotRedisOptions,
} from './redis-hot-client.js';
import { assertKeyPrefix, DEFAULT_HOT_KEY_PREFIX, hotCopyKeys } from './redis-hot-keys.js';
import { whenReady, withTimeout } from './redis-readiness.js';

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
 * The hot tier on Redis (standalone or Cluster). Each stream's copy is two keys with one hash tag:
 * a hash with the copy's bounds and verification time, and a list of its events. Every operation
 * that depends on the copy is one Lua script, run by SHA.
 */
export class RedisHotTier implements HotTier {
  readonly keyPrefix: string;
  readonly timeoutMs: number;
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
    const args = [
      range.fromVersion,
      range.toVersion,
      range.limit ?? -1,
      range.direction === 'backward' ? 1 : 0,
      refreshTtlSeconds ?? 0,
    ];
    const reply = (await this.script(READ_SCRIPT, streamId, args, true)) as [Buffer, ...Buffer[]];
    const kind = String(reply[0]);
    if (kind === 'absent' || kind === 'dropped') return { kind };
    const copy = bounds(String(reply[1]), String(reply[2]), String(reply[3]));
    if (kind === 'uncovered') return { kind, copy };
    return { kind: 'covered', copy, events: decodeHotEvents(streamId, reply[4] as unknown as Buffer[]) };
  }

  async peek(streamId: string): Promise<HotCopyBounds | undefined> {
    const { meta } = hotCopyKeys(this.keyPrefix, streamId);
    const reply = (await this.command('hmget', [meta, 'f', 't', 'a'])) as (string | null)[];
    if (reply[0] == null || reply[1] == null || reply[2] == null) return undefined;
    return bounds(reply[0], reply[1], reply[2]);
  }

  async promote(
    streamId: string,
    events: readonly RecordedEvent[],
    write: HotWrite,
  ): Promise<PromoteOutcome> {
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) throw new RangeError('promote needs at least one event');
    const args: (string | number)[] = [
      String(first.version),
      String(last.version),
      String(write.verifiedAt),
      write.ttlSeconds,
    ];
    for (const event of events) args.push(encodeHotEvent(event));
    return (await this.script(PROMOTE_SCRIPT, streamId, args)) as PromoteOutcome;
  }

  async extend(
    streamId: string,
    afterVersion: number,
    lastVersion: number,
    events: readonly RecordedEvent[],
    write: HotWrite,
  ): Promise<ExtendOutcome> {
    const args: (string | number)[] = [
      afterVersion,
      String(lastVersion),
      String(write.verifiedAt),
      write.ttlSeconds,
      write.maxEvents,
    ];
    for (const event of events) args.push(encodeHotEvent(event));
    return (await this.script(EXTEND_SCRIPT, streamId, args)) as ExtendOutcome;
  }

  async confirm(streamId: string, toVersion: number, verifiedAt: number): Promise<boolean> {
    return (await this.script(CONFIRM_SCRIPT, streamId, [String(toVersion), String(verifiedAt)])) === 1;
  }

  async invalidate(streamId: string): Promise<void> {
    const { meta, events } = hotCopyKeys(this.keyPrefix, streamId);
    await this.command('del', [meta, events]);
  }

  async ping(): Promise<void> {
    await this.command('ping', []);
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
    args: readonly (string | number)[],
    buffers = false,
  ): Promise<unknown> {
    const { meta, events } = hotCopyKeys(this.keyPrefix, streamId);
    return this.guarded(() => script.run(this.client, [meta, events], args, buffers));
  }

  private command(name: string, args: (string | number)[]): Promise<unknown> {
    return this.guarded(() => this.client.call(name, args));
  }

  private async guarded(operation: () => Promise<unknown>): Promise<unknown> {
    const started = Date.now();
    await whenReady(this.client, this.timeoutMs);
    const left = Math.max(1, this.timeoutMs - (Date.now() - started));
    return withTimeout(operation(), left, `the Redis hot tier did not answer within ${this.timeoutMs} ms`);
  }
}

function bounds(f: string | undefined, t: string | undefined, a: string | undefined): HotCopyBounds {
  return { fromVersion: Number(f), toVersion: Number(t), verifiedAt: Number(a) };
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
