import type { NewEvent, PreparedEvent, RecordedEvent } from '@strata/core';
import { Redis } from 'ioredis';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { MINIMAL_STREAM_TYPE, minimalConflict, minimalRecordedEvent } from './minimal-event.js';

/**
 * Checks the stream's length (its version: versions are 1, 2, ... in list order) against the
 * expected version, takes positions from a counter, and pushes each entry onto the stream's list
 * and into the global sorted set, scored by position. Returns the last position, or -(length + 1)
 * on a version conflict, having written nothing.
 * KEYS: stream list, log sorted set, position counter. ARGV: expected version, then the entries'
 * bodies (the JSON the caller encoded; the script prefixes each with its position and a space).
 */
const APPEND_SCRIPT = `
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then return -(length + 1) end
local count = #ARGV - 1
local last = redis.call('INCRBY', KEYS[3], count)
local entries = {}
local scored = {}
for i = 1, count do
  -- %d, not tostring: Lua 5.1 would print a large position as 1e+14.
  local position = string.format('%d', last - count + i)
  local entry = position .. ' ' .. ARGV[i + 1]
  entries[i] = entry
  scored[2 * i - 1] = position
  scored[2 * i] = entry
end
redis.call('RPUSH', KEYS[1], unpack(entries))
redis.call('ZADD', KEYS[2], unpack(scored))
return last
`;

interface MinimalRedis extends Redis {
  minimalAppend(stream: string, log: string, counter: string, ...args: (string | number)[]): Promise<number>;
}

/**
 * An entry's body: what the script stores after the position. The stream type comes first so that
 * the id floor's script can write the type it keeps for the stream (`RedisIdFloorStore`) in front
 * of the rest, which the client encodes.
 */
type EntryBody = [
  streamType: string,
  streamId: string,
  type: string,
  data: unknown,
  metadata: Record<string, unknown>,
  version: number,
  occurredAt: number,
  /**
   * Only in the id floor's entries (`RedisIdFloorStore`): the event id it indexes, and the schema
   * version and recording time every read returns.
   */
  id?: string,
  schemaVersion?: number,
  recordedAt?: number,
];

/**
 * Issue 12's minimal event store on Redis (standalone), under `keyPrefix`: a list per stream
 * (`stream:<id>`, its length is the version), a sorted set `log` of every entry scored by position
 * (exact to 2^53) and a counter `position`. An append is one Lua script (`EVALSHA`) that checks the
 * version and writes both; `readStream` is one `LRANGE`, a `readAll` page one `ZRANGEBYSCORE`.
 * Each entry is `<position> <JSON array>`, parsed whole into the event objects the contract returns.
 * No event ids, no streams hash, no gap-safe `readAll` (a script runs alone, so Redis has no late
 * commits to skip anyway).
 */
export class RedisMinimalStore implements BenchSubject {
  private readonly log: string;
  private readonly counter: string;

  private constructor(
    private readonly redis: MinimalRedis,
    private readonly keyPrefix: string,
  ) {
    this.log = `${keyPrefix}log`;
    this.counter = `${keyPrefix}position`;
  }

  /** Opens its own connection (connected before returning) with the keys under `keyPrefix`. */
  static async open(url: string, keyPrefix: string): Promise<RedisMinimalStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 }) as MinimalRedis;
    redis.on('error', () => {});
    redis.defineCommand('minimalAppend', { numberOfKeys: 3, lua: APPEND_SCRIPT });
    await redis.connect();
    return new RedisMinimalStore(redis, keyPrefix);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
    const now = Date.now();
    const bodies = events.map((event, i) => entryBody(streamId, event, expectedVersion + i + 1, now));
    const last = await this.redis.minimalAppend(
      this.streamKey(streamId),
      this.log,
      this.counter,
      expectedVersion,
      ...bodies,
    );
    if (last < 0) throw minimalConflict(streamId, -last - 1, expectedVersion);
  }

  /** The whole stream, decoded, in version order. */
  async readStreamEvents(streamId: string): Promise<RecordedEvent[]> {
    return decode(await this.redis.lrange(this.streamKey(streamId), 0, -1));
  }

  async readStream(streamId: string): Promise<number> {
    return (await this.readStreamEvents(streamId)).length;
  }

  /** Up to `limit` events after position `after`, decoded, in position order. */
  async readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]> {
    const entries = await this.redis.zrangebyscore(this.log, `(${after}`, '+inf', 'LIMIT', 0, limit);
    return decode(entries);
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const events = await this.readAllEvents(after, limit);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private streamKey(streamId: string): string {
    return `${this.keyPrefix}stream:${streamId}`;
  }
}

/** An entry's body as JSON text: the minimal store's, stream type first. */
export function entryBody(streamId: string, event: NewEvent, version: number, occurredAt: number): string {
  return JSON.stringify([
    MINIMAL_STREAM_TYPE,
    streamId,
    event.type,
    event.data,
    event.metadata ?? {},
    version,
    occurredAt,
  ]);
}

/**
 * The id floor's entry body without its first element, the stream type, which its script puts in
 * front (`[<type>,` + this): everything after the type, with the event id, schema version and
 * recording time. Built from the JSON text the input checks made (`checkedFloorEvents`), as the
 * store builds its entries: `streamIdJson` is `JSON.stringify(streamId)`, made once per append.
 */
export function entryBodyAfterType(
  streamIdJson: string,
  event: PreparedEvent,
  version: number,
  recordedAt: number,
): string {
  return `${streamIdJson},${JSON.stringify(event.type)},${event.dataJson},${event.metadataJson},${version},${event.occurredAt.getTime()},${JSON.stringify(event.id)},${event.schemaVersion},${recordedAt}]`;
}

function decode(entries: readonly string[]) {
  return entries.map((entry) => {
    const space = entry.indexOf(' ');
    const [streamType, streamId, type, data, metadata, version, occurredAt, id, schemaVersion, recordedAt] =
      JSON.parse(entry.slice(space + 1)) as EntryBody;
    return minimalRecordedEvent(
      BigInt(entry.slice(0, space)),
      streamId,
      streamType,
      type,
      data,
      metadata,
      version,
      occurredAt,
      id,
      schemaVersion,
      recordedAt,
    );
  });
}
