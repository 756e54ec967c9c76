import { CallDeadlines, type NewEvent, type RecordedEvent } from '@strata/core';
import { Redis } from 'ioredis';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { checkedFloorEvents } from './floor-input.js';
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

/** What the store waits for an answer by default (`timeoutMs`), and the floor with it. */
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Issue 12's floor for Redis: the minimal store (`RedisMinimalStore`, same keys under its own
 * prefix) plus what the contract needs and nothing else:
 * - the contract's input checks and UUID v7 ids, before anything is sent (`checkedFloorEvents`);
 * - an id index, the one structure idempotent retries by id cannot do without;
 * - the id in each entry, so reads return the event's real id (the minimal store returns its
 *   position as a stand-in and stores none), with the schema version and recording time reads
 *   return;
 * - each stream's type, fixed by its first append (the kit checks that a later append with
 *   another type does not change it);
 * - a deadline on every append: a server that stops answering must fail the call
 *   (`StoreUnavailableError`), not hang it, and ioredis has no deadline but a timer per command.
 *   The floor keeps its deadlines as the store does, with core's `CallDeadlines`: one timer for
 *   all calls, the cheapest way measured.
 * Reads are the minimal store's, on these entries. The store's ratio to this floor is what its
 * layout and features cost beyond the contract.
 */
export class RedisIdFloorStore implements BenchSubject {
  private readonly deadlines: CallDeadlines;

  private constructor(
    private readonly redis: FloorRedis,
    private readonly minimal: RedisMinimalStore,
    private readonly keyPrefix: string,
    timeoutMs: number,
  ) {
    this.deadlines = new CallDeadlines(
      timeoutMs,
      () => new Error(`Redis did not answer the floor within ${timeoutMs} ms`),
    );
  }

  /** Opens its own connection (connected before returning) with the keys under `keyPrefix`. */
  static async open(
    url: string,
    keyPrefix: string,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<RedisIdFloorStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 }) as FloorRedis;
    redis.on('error', () => {});
    redis.defineCommand('idFloorAppend', { numberOfKeys: 5, lua: APPEND_SCRIPT });
    await redis.connect();
    const minimal = await RedisMinimalStore.open(url, keyPrefix);
    return new RedisIdFloorStore(redis, minimal, keyPrefix, timeoutMs);
  }

  /** Appends with the workloads' stream type unless `streamType` is given; a stream keeps its first. */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    streamType: string = MINIMAL_STREAM_TYPE,
  ): Promise<void> {
    const checked = checkedFloorEvents(streamId, events, expectedVersion, streamType);
    const now = Date.now();
    const streamIdJson = JSON.stringify(streamId);
    const args: (string | number)[] = [expectedVersion, JSON.stringify(streamType)];
    checked.forEach((event, i) => {
      args.push(event.id, entryBodyAfterType(streamIdJson, event, expectedVersion + i + 1, now));
    });
    const last = await this.deadlines.within(() =>
      this.redis.idFloorAppend(
        `${this.keyPrefix}stream:${streamId}`,
        `${this.keyPrefix}log`,
        `${this.keyPrefix}position`,
        `${this.keyPrefix}ids`,
        `${this.keyPrefix}type:${streamId}`,
        ...args,
      ),
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
