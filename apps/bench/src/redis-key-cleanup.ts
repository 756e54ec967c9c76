import type { Redis } from 'ioredis';

/**
 * Deletes every key under `keyPrefix` (and nothing else: `SCAN` + `UNLINK` of that prefix, never
 * `FLUSHALL`), then disconnects; returns how many keys it deleted.
 */
export async function deleteKeysAndDisconnect(redis: Redis, keyPrefix: string): Promise<number> {
  try {
    return await deleteKeys(redis, keyPrefix);
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `keyPrefix` and nothing else, as above, keeping the connection open. */
export async function deleteKeys(redis: Redis, keyPrefix: string): Promise<number> {
  let deleted = 0;
  await ready(redis);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Without an offline queue a command fails until the connection is up: wait for it (3 s at most). */
async function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not become ready within 3 s')), 3_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
