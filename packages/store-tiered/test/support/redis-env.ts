import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { recommendedHotRedisOptions } from '../../src/index.js';

/** The shared Redis server; tests use only keys under their own random prefix and delete them. */
export const REDIS_URL = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function randomKeyPrefix(): string {
  return `strata-test:tiered:${randomBytes(6).toString('hex')}:`;
}

/** A client with the options the hot tier recommends (plus a generous timeout for a busy CI machine). */
export function redisClient(url = REDIS_URL, timeoutMs = 2_000): Redis {
  const client = new Redis(url, { ...recommendedHotRedisOptions(timeoutMs), lazyConnect: true });
  client.on('error', () => {});
  return client;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHALL: the server is shared). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export async function countKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/**
 * Cuts the first event out of the copy under `keyTag` (the key prefix and `{stream}` hash tag)
 * while its header still names it, the way a torn or foreign write would leave it.
 */
export async function dropFirstEntry(client: Redis, keyTag: string): Promise<void> {
  const data = await client.getBuffer(`${keyTag}:d`);
  const offsets = await client.getBuffer(`${keyTag}:o`);
  if (data === null || offsets === null || offsets.length < 8)
    throw new Error(`no copy of two events at ${keyTag}`);
  const header = 36;
  const second = offsets.readUInt32BE(4);
  await client.set(
    `${keyTag}:d`,
    Buffer.concat([data.subarray(0, header), data.subarray(header + second)]),
    'KEEPTTL',
  );
}
