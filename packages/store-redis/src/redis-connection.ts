import {
  CallDeadlines,
  StoreClosedError,
  StoreUnavailableError,
  StrataError,
  ValidationError,
} from '@strata/core';
import { Redis } from 'ioredis';
import { DEFAULT_MAX_BULK_LENGTH, parseMaxBulkLength } from './bulk-limit.js';
import { assertKeyPrefix, DEFAULT_KEY_PREFIX, RedisKeys } from './redis-keys.js';
import {
  DEFAULT_TIMEOUT_MS,
  type RedisClient,
  type RedisStoreOptions,
  recommendedRedisOptions,
} from './redis-store-options.js';

export const STORE_NAME = 'redis';

/**
 * One store's access to Redis: the client (owned or borrowed), the key layout, and the rules every
 * call follows: closed stores refuse, a call waits for a ready connection at most `timeoutMs`, and
 * every driver failure becomes `StoreUnavailableError('redis', cause)`.
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly cluster: boolean;
  readonly timeoutMs: number;
  private readonly owned: boolean;
  private closed = false;
  private lastError: unknown;
  private waitingForReady: Promise<void> | undefined;
  private maxBulk: Promise<number> | undefined;
  private knownMaxBulk: number | undefined;
  private readonly deadlines: CallDeadlines;

  constructor(options: RedisStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ValidationError('options', 'must be an object with a client or a url');
    }
    const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    assertKeyPrefix(keyPrefix);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs < 1) {
      throw new ValidationError('options.timeoutMs', 'must be an integer >= 1');
    }
    const timeoutMs = this.timeoutMs;
    this.deadlines = new CallDeadlines(
      timeoutMs,
      () => new Error(`Redis did not answer within ${timeoutMs} ms`),
    );
    const mode = options.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'standalone' && mode !== 'cluster') {
      throw new ValidationError('options.mode', "must be 'auto', 'standalone' or 'cluster'");
    }
    if ((options.client === undefined) === (options.url === undefined)) {
      throw new ValidationError('options', 'pass exactly one of client and url');
    }
    if (options.client !== undefined) {
      this.client = options.client;
      this.owned = false;
    } else {
      // lazyConnect: creating a store never throws or logs; the first call connects.
      const client = new Redis(options.url!, {
        ...recommendedRedisOptions(this.timeoutMs),
        lazyConnect: true,
      });
      client.on('error', (error: unknown) => {
        this.lastError = error;
      });
      this.client = client;
      this.owned = true;
    }
    if (mode === 'standalone' && this.client.isCluster) {
      throw new ValidationError('options.mode', "'standalone' needs a standalone client, not a Cluster");
    }
    this.cluster = mode === 'cluster' || (mode === 'auto' && this.client.isCluster);
    this.keys = new RedisKeys(keyPrefix);
  }

  /**
   * Runs `operation` once the connection is ready, within the deadline, with typed errors; `map`
   * turns its value into the result (what `map` throws rejects the call as it is).
   */
  run<T, R = T>(operation: (client: RedisClient) => Promise<T>, map?: (value: T) => R): Promise<R> {
    if (this.closed) return Promise.reject(new StoreClosedError(STORE_NAME));
    // Not async, and the mapping and typed errors inside `within`: a promise layer less each per
    // call (each one is CPU on every append).
    return this.deadlines.within(
      (call) => {
        // The common case starts at once: no extra turn of the microtask queue per call.
        if (this.client.status === 'ready') return operation(this.client);
        return this.whenReady().then(() => {
          // A connection that comes back after the caller was told the call failed must not run it.
          if (call.expired) throw new Error('the call expired before Redis was reachable');
          return operation(this.client);
        });
      },
      map,
      asStoreError,
    );
  }

  /**
   * The server's `proto-max-bulk-len`, read once. A server that refuses to say (CONFIG renamed or
   * forbidden, as on managed services) is assumed to have Redis' default; an unreachable one is
   * asked again on the next call.
   */
  maxBulkLength(): Promise<number> {
    this.maxBulk ??= this.run((client) => client.config('GET', 'proto-max-bulk-len')).then(
      (reply) => {
        this.knownMaxBulk = parseMaxBulkLength(reply);
        return this.knownMaxBulk;
      },
      (error: unknown) => {
        if (StoreUnavailableError.isInstance(error) && isReplyError(error.cause)) {
          this.knownMaxBulk = DEFAULT_MAX_BULK_LENGTH;
          return DEFAULT_MAX_BULK_LENGTH;
        }
        this.maxBulk = undefined;
        throw error;
      },
    );
    return this.maxBulk;
  }

  /** `maxBulkLength()`'s answer once it is in, so the append path need not wait a turn for it. */
  get knownMaxBulkLength(): number | undefined {
    return this.knownMaxBulk;
  }

  /** Closes the connection if the store opened it; a client the caller passed in stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) return;
    try {
      await this.client.quit();
    } catch {
      // The server is gone: there is nothing to say goodbye to.
      this.client.disconnect();
    }
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
  }

  /**
   * Commands are sent only on a ready connection, never parked in ioredis' offline queue, where
   * an append could wait past the caller's deadline and commit after the caller saw it fail.
   * While reconnecting, the call waits for the next connection attempt: it fails as soon as that
   * attempt fails and goes through as soon as one succeeds.
   */
  private whenReady(): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end' && !this.owned) {
      return Promise.reject(new Error('the Redis client passed to the store was closed by its owner'));
    }
    this.waitingForReady ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => {
        client.off('ready', onReady);
        client.off('close', onClose);
        client.off('end', onClose);
        this.waitingForReady = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = () => settle();
      const onClose = () =>
        settle(this.lastError ?? new Error(`the connection to Redis was lost (status: ${client.status})`));
      client.once('ready', onReady);
      client.once('close', onClose);
      client.once('end', onClose);
      if (client.status === 'wait' || client.status === 'end') {
        this.lastError = undefined;
        client.connect().catch(() => {
          // The 'close' or 'end' event reports the failure.
        });
      }
    });
    return this.waitingForReady;
  }
}

/** Strata's own errors pass; anything from the driver means Redis could not do the call. */
function asStoreError(error: unknown): unknown {
  return StrataError.isInstance(error) ? error : new StoreUnavailableError(STORE_NAME, error);
}

/** An error the server answered with (ioredis' `ReplyError`), as opposed to a lost connection. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
