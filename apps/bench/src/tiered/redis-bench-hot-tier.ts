import { type AddressInfo, createServer } from 'node:net';
import { createRedisHotTier, type RedisHotTier, recommendedHotRedisOptions } from '@strata/store-tiered';
import { Redis } from 'ioredis';
import { BenchObjectNames } from '../bench-object-names.js';
import { deleteKeysAndDisconnect } from '../redis-key-cleanup.js';

/** The Redis server; `STRATA_REDIS_URL` overrides the machine's default. */
export const REDIS_URL = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The hot tier's own call timeout. Its default (250 ms) is right for production; on a shared
 * two-core machine a scheduling stall could trip the breaker and turn hits into warm reads, so the
 * bench allows 1 s and reports every hot-tier error it saw instead.
 */
const HOT_TIMEOUT_MS = 1_000;

export interface BenchHotTier {
  hot: RedisHotTier;
  keyPrefix: string;
  ping(): Promise<unknown>;
  /** Deletes every key under the run's prefix (and nothing else) and closes the client. */
  cleanup(): Promise<number>;
}

const names = new BenchObjectNames('strata-bench:');

/** A Redis hot tier whose keys all live under a prefix no one else uses. */
export function openBenchHotTier(url: string = REDIS_URL): BenchHotTier {
  const redis = new Redis(url, recommendedHotRedisOptions(HOT_TIMEOUT_MS));
  redis.on('error', () => {});
  const keyPrefix = `${names.next('hot')}:`;
  return {
    hot: createRedisHotTier(redis, { keyPrefix, timeoutMs: HOT_TIMEOUT_MS }),
    keyPrefix,
    ping: () => redis.ping(),
    cleanup: () => deleteKeysAndDisconnect(redis, keyPrefix),
  };
}

/** A `redis://` URL on a loopback port nothing listens on (bound, then released), for the outage case. */
export async function unreachableRedisUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}

/** `undefined` when Redis answers, else why the tiered suite cannot run. */
export async function probeRedis(url: string = REDIS_URL): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis unreachable at ${url} (${error instanceof Error ? error.message : String(error)}); set STRATA_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}
