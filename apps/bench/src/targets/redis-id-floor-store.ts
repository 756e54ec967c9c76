import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@strata/core';
import { Redis } from 'ioredis';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { MINIMAL_STREAM_TYPE, minimalConflict } from './minimal-event.js';
import { entryBodyAfterType, RedisMinimalStore } from './redis-minimal-store.js';

/**
 * The minimal store's append plus what the contract cannot do without, and nothing else:
 * - event-id uniqueness: the batch's ids looked up in one hash first (`HMGET`; any hit refuses the
 *   batch, writing nothing), and written to it after the events (`HSET`, id -> position);
 * - a stream's type fixed by its first append: kept in a key of its own (`SET` on the first
 *   append, `GET` on every later one, as the store does) and written into each entry, in front of
 *   the body the client encoded (`entryBodyAfterType`).
 * KEYS: stream list, log sorted set, position counter, id hash, the stream's type. ARGV: expected
 * version, the stream type asked for (JSON), then per event its id and body. Returns the last
 * position, -(length + 1) on a version conflict, or -(2^40) when an id exists.
 */
const APPEND_SCRIPT = `
local count = (#ARGV - 2) / 2
local ids = {}
for i = 1, count do ids[i] = ARGV[2 * i + 1] end
local found = redis.call('HMGET', KEYS[4], unpack(ids))
for i = 1, count do if found[i] then return -1099511627776 end end
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then return -(length + 1) end
local streamType
if length == 0 then
  streamType = ARGV[2]
  redis.call('SET', KEYS[5], streamType)
else
  streamType = redis.call('GET', KEYS[5]) or ARGV[2]
end
local last = redis.call('INCRBY', KEYS[3], count)
local entries, scored, index = {}, {}, {}
for i = 1, count do
  local position = string.format('%d', last - count + i)
  local entry = position .. ' [' .. streamType .. ',' .. ARGV[2 * i + 2]
  entries[i] = entry
  scored[2 * i - 1] = position
  scored[2 * i] = entry
  index[2 * i - 1] = ids[i]
  index[2 * i] = position
end
redis.call('RPUSH', KEYS[1], unpack(entries))
redis.call('ZADD', KEYS[2], unpack(scored))
redis.call('HSET', KEYS[4], unpack(index))
return last
`;

interface FloorRedis extends Redis {
  idFloorAppend(
    stream: string,
    log: string,
    counter: string,
    ids: string,
    typeKey: string,
    ...args: (string | number)[]
  ): Promise<number>;
}

/**
 * Issue 12's floor for Redis: the minimal store (`RedisMinimalStore`, same keys under its own
 * prefix) plus what the contract needs and nothing else: an id index, the one structure idempotent
 * retries by id cannot do without; the id in each entry, so reads return the event's real id (the
 * minimal store returns its position as a stand-in and stores none), with the schema version and
 * recording time reads return; and each stream's type, fixed by its first append (the kit checks
 * that a later append with another type does not change it).
 * Ids are random UUIDs made here, as a store makes them for events without one. Reads are the
 * minimal store's, on these entries. The store's ratio to this floor is what its layout and
 * features cost beyond the contract.
 */
export class RedisIdFloorStore implements BenchSubject {
  private constructor(
    private readonly redis: FloorRedis,
    private readonly minimal: RedisMinimalStore,
    private readonly keyPrefix: string,
  ) {}

  /** Opens its own connection (connected before returning) with the keys under `keyPrefix`. */
  static async open(url: string, keyPrefix: string): Promise<RedisIdFloorStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 }) as FloorRedis;
    redis.on('error', () => {});
    redis.defineCommand('idFloorAppend', { numberOfKeys: 5, lua: APPEND_SCRIPT });
    await redis.connect();
    return new RedisIdFloorStore(redis, await RedisMinimalStore.open(url, keyPrefix), keyPrefix);
  }

  /** Appends with the workloads' stream type unless `streamType` is given; a stream keeps its first. */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    streamType: string = MINIMAL_STREAM_TYPE,
  ): Promise<void> {
    const now = Date.now();
    const args: (string | number)[] = [expectedVersion, JSON.stringify(streamType)];
    events.forEach((event, i) => {
      const id = randomUUID();
      args.push(id, entryBodyAfterType(streamId, event, expectedVersion + i + 1, now, id));
    });
    const last = await this.redis.idFloorAppend(
      `${this.keyPrefix}stream:${streamId}`,
      `${this.keyPrefix}log`,
      `${this.keyPrefix}position`,
      `${this.keyPrefix}ids`,
      `${this.keyPrefix}type:${streamId}`,
      ...args,
    );
    if (last === -1099511627776) throw new Error(`an event id of this batch exists (stream ${streamId})`);
    if (last < 0) throw minimalConflict(streamId, -last - 1, expectedVersion);
  }

  readStream(streamId: string): Promise<number> {
    return this.minimal.readStream(streamId);
  }

  /** The whole stream, decoded, in version order: the minimal store's read of these entries. */
  readStreamEvents(streamId: string): Promise<RecordedEvent[]> {
    return this.minimal.readStreamEvents(streamId);
  }

  readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    return this.minimal.readAll(after, limit);
  }

  async close(): Promise<void> {
    await this.minimal.close();
    await this.redis.quit();
  }
}
