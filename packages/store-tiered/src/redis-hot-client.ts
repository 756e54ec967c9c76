import type { RedisOptions } from 'ioredis';

/**
 * What the hot tier needs of an ioredis `Redis` or `Cluster`: `call` and `callBuffer` for its scripts and commands,
 * and the connection's status and events, to fail fast while it is down instead of queueing.
 */
export interface RedisHotClient {
  call(command: string, args: HotArgument[]): Promise<unknown>;
  /** Like `call`, with bulk replies as Buffers: ioredis decodes a large bulk string much slower than `toString()` does. */
  callBuffer(command: string, args: HotArgument[]): Promise<unknown>;
  readonly status: string;
  connect(): Promise<void>;
  once(event: 'ready' | 'close' | 'end', listener: () => void): unknown;
  off(event: 'ready' | 'close' | 'end', listener: () => void): unknown;
}

/** A command argument: offsets go to Redis as raw bytes. */
export type HotArgument = string | number | Buffer;

export const DEFAULT_HOT_TIMEOUT_MS = 250;
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * ioredis options for a hot-tier client: a cache must answer fast or not at all. Commands fail
 * at once while disconnected (no offline queue, no resend after a reconnect); the client
 * reconnects in the background. The hot tier fails a call itself after `timeoutMs`. Pass them to the
 * `Redis` (or a `Cluster`'s `redisOptions`) you hand to `createRedisHotTier`; a client created
 * from a URL uses them already.
 */
export function recommendedHotRedisOptions(timeoutMs = DEFAULT_HOT_TIMEOUT_MS): RedisOptions {
  return {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    // No `commandTimeout`: the hot tier puts its own deadline on every call, and ioredis' would set
    // and clear one more timer per command.
    connectTimeout: Math.max(timeoutMs, 1_000),
    retryStrategy: (attempt: number) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
  };
}
