import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { createRedisHotTier, createTieredEventStore } from '@strata/store-tiered';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createEncryption, masterKey, withEncryption, withSnapshotEncryption } from '../src/index.js';
import { paymentProcessed, SEED_FIELDS, userCreated } from './fixtures.js';

const REDIS_URL = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 'strata-encryption-tiered-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = ['ada@example.com', '+44 20 7946 0000', '4111111111111111', '1 Main St', 'Ada Lovelace'];

/** Every value under `prefix`, whatever its Redis type, as one text. */
async function everythingUnder(redis: Redis, prefix: string): Promise<{ keys: string[]; text: string }> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const values: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') values.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
    else if (type === 'hash') values.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') values.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'zset') values.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'set') values.push(JSON.stringify(await redis.smembers(key)));
  }
  return { keys, text: values.join('\n') };
}

it('over the tiered store, neither the Redis hot tier nor SQLite holds a configured field in plaintext, snapshots included', async () => {
  const prefix = `strata-encryption-test:${randomUUID()}:`;
  const warm = createSqliteEventStore({ database: join(dir, 'warm.db') });
  const hot = createRedisHotTier(REDIS_URL, { keyPrefix: prefix });
  const tiered = createTieredEventStore({ warm, hot, ttlSeconds: 600 });
  const redis = new Redis(REDIS_URL);
  const encryption = createEncryption({
    keyStore: new MemoryKeyStore(),
    masterKeys: [masterKey('m1', randomBytes(32))],
    currentMasterKeyId: 'm1',
    fields: SEED_FIELDS,
    subjectOf: (event) => (event.data as { userId: string }).userId,
  });
  const store = withEncryption(tiered, encryption);
  const snapshots = withSnapshotEncryption(tiered.snapshots!, encryption, {
    subjectOf: (streamId) => streamId.slice('user-'.length),
  });
  try {
    await store.append('user-u-1', [
      userCreated('u-1', 'ada@example.com'),
      paymentProcessed('u-1', '4111111111111111'),
    ]);
    await store.readStream('user-u-1'); // a miss: promoted to Redis in the background
    await tiered.flush();
    const events = await store.readStream('user-u-1'); // a hit
    expect(tiered.stats().hits).toBeGreaterThanOrEqual(1);
    expect(
      events.map(
        (e) =>
          (e.data as { email?: string; card_number?: string }).email ??
          (e.data as { card_number: string }).card_number,
      ),
    ).toEqual(['ada@example.com', '4111111111111111']);
    await snapshots.saveSnapshot({
      streamId: 'user-u-1',
      version: 2,
      stateVersion: 1,
      state: { name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    expect((await snapshots.loadSnapshot('user-u-1'))?.state).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    await tiered.flush();

    const { keys, text } = await everythingUnder(redis, prefix);
    expect(keys.length, 'the hot tier holds the stream and its snapshot').toBeGreaterThanOrEqual(2);
    expect(text).toContain('$strata.encrypted');
    for (const secret of SECRETS) expect(text).not.toContain(secret);

    // Forgotten: the hot copy is ciphertext too, so a hit is redacted, and the snapshot is gone.
    await encryption.forget('u-1');
    const afterForget = await store.readStream('user-u-1');
    expect((afterForget[0]!.data as { email: string }).email).toBe('[redacted]');
    expect(await snapshots.loadSnapshot('user-u-1')).toBeUndefined();
  } finally {
    const { keys } = await everythingUnder(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await store.close();
    await tiered.close();
    await hot.close();
    await warm.close();
  }
});
