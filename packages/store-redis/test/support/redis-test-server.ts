import { randomUUID } from 'node:crypto';
import { TcpProxy } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

/** The shared test server; tests only touch keys under their own random prefix. */
export const REDIS_URL = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test file, so runs never see each other's keys. */
export function testKeyPrefix(label: string): string {
  return `strata-test:${label}:${randomUUID()}:`;
}

/** A proxy in front of the shared server, to cut one client off it; connect to `proxy.route(REDIS_URL)`. */
export function proxyToSharedServer(): Promise<TcpProxy> {
  return TcpProxy.inFrontOf(REDIS_URL);
}

/** True when the shared server answers PING within a second. */
export async function redisIsReachable(url = REDIS_URL): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Registers `body` when Redis is reachable. Otherwise, under CI the file fails (a missing service is
 * an error there); elsewhere one skipped test says why, so nothing is skipped silently.
 */
export function describeWithRedis(name: string, reachable: boolean, body: () => void): void {
  if (reachable) {
    describe(name, body);
    return;
  }
  if (process.env.CI) throw new Error(`Redis is not reachable at ${REDIS_URL} (CI is set, so this fails)`);
  describe(name, () => {
    it.skip(`Redis is not reachable at ${REDIS_URL}: start it or set STRATA_REDIS_URL`, () => {});
  });
}

/** Deletes every key under `prefix` (SCAN + UNLINK, never FLUSHDB: the server is shared). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
