import type { Cluster, Redis, RedisOptions } from 'ioredis';

/** A standalone client or a cluster client from ioredis. */
export type RedisClient = Redis | Cluster;

/**
 * How a store reaches Redis. Pass `client` to share a connection you own (the store never closes
 * it), or `url` to let the store open (and close) its own.
 */
export interface RedisStoreOptions {
  /** An ioredis `Redis` or `Cluster` you own. See `recommendedRedisOptions` for settings that fail fast. */
  client?: RedisClient;
  /** `redis://` or `rediss://` URL of a standalone server; the store owns that connection. */
  url?: string;
  /** Prepended to every key; defaults to `strata:`. Must not be empty or blank, nor contain `{` or `}`. */
  keyPrefix?: string;
  /**
   * Key layout. `'auto'` (the default) picks `'cluster'` for an ioredis `Cluster` client and
   * `'standalone'` otherwise. `'cluster'` also works on a standalone server (the same
   * guarantees as on a cluster, e.g. to develop against one node).
   */
  mode?: 'auto' | 'standalone' | 'cluster';
  /**
   * The longest a call may take, waiting for a connection included, before it rejects with
   * `StoreUnavailableError`; defaults to 5,000 ms. Also the connect timeout of a client the store
   * opens from `url`.
   */
  timeoutMs?: number;
  /**
   * Publish each append's last position on `<prefix>appends`, at the end of its script (default true),
   * so that `store.appendNotifier` in any process hears of it. Off, appends publish nothing.
   */
  notifyAppends?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * The ioredis options the store uses for the connections it opens, for clients you create yourself
 * (for a `Cluster`, pass them as `redisOptions`). Nothing waits in ioredis' offline queue: a call
 * made while the server is down fails at once or within `timeoutMs` instead of running minutes
 * later after the caller was told it failed, and a command whose connection drops is not resent
 * behind the caller's back (appends are safe to retry with the same event ids).
 */
export function recommendedRedisOptions(timeoutMs = DEFAULT_TIMEOUT_MS): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // No `commandTimeout`: the store puts its own deadline on every call, and ioredis' would set
    // and clear one more timer per command (about 8 µs of CPU each, measured on an append).
    connectTimeout: timeoutMs,
    // Reconnect in the background forever, but at least once a second, so a call made after the
    // server is back waits at most that long.
    retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
}
