import {
  assertKeyVersion,
  assertName,
  type KeyStore,
  type ListKeysOptions,
  normalizeListKeys,
  prepareDataKey,
  type WrappedDataKey,
} from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** KEYS: the keys hash, the order set; ARGV: member, value. Returns the stored value. */
const createScript = new LuaScript(`
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then return stored end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return ARGV[2]
`);

/** KEYS: the keys hash, the order set; ARGV: the subject's lex range. Returns { member, value } or nil. */
const latestScript = new LuaScript(`
local members = redis.call('ZREVRANGEBYLEX', KEYS[2], ARGV[2], ARGV[1], 'LIMIT', 0, 1)
if #members == 0 then return false end
return { members[1], redis.call('HGET', KEYS[1], members[1]) }
`);

/** KEYS: the keys hash, the order set; ARGV: the subject's lex range. Returns how many it deleted. */
const destroyScript = new LuaScript(`
local members = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], ARGV[2])
for _, member in ipairs(members) do redis.call('HDEL', KEYS[1], member) end
redis.call('ZREMRANGEBYLEX', KEYS[2], ARGV[1], ARGV[2])
return #members
`);

/** KEYS: the keys hash, the order set; ARGV: lex start, limit. Returns member, value, member... */
const listScript = new LuaScript(`
local members = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
local page = {}
for _, member in ipairs(members) do
  page[#page + 1] = member
  page[#page + 1] = redis.call('HGET', KEYS[1], member)
end
return page
`);

/** KEYS: the keys hash; ARGV: member, expected value prefix (keyId, masterKeyId), new value. */
const rewrapScript = new LuaScript(`
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored or string.sub(stored, 1, #ARGV[2]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

/** Names never hold U+0000, so it separates fields and ends a subject before its version. */
const SEPARATOR = '\u0000';
/** 16 digits hold Number.MAX_SAFE_INTEGER, so padded versions sort by bytes as they do by value. */
const VERSION_DIGITS = 16;

/**
 * Wrapped data keys: one hash member -> (keyId, masterKeyId, wrappedKey) and one sorted set of the
 * members for paging, both under one hash tag (one Cluster slot), changed together by scripts. A
 * member is the subject, U+0000, then the zero-padded version: byte order is (subject by UTF-8
 * bytes, version) order, and a subject's range never reaches another subject's keys. The event
 * store's own is `store.keys` and shares its connection.
 */
export class RedisKeyStore implements KeyStore {
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;

  /** Standalone; the event store's own is `store.keys` and shares its connection. */
  constructor(options: RedisStoreOptions, /** @internal */ shared?: RedisConnection) {
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const k = prepareDataKey(key);
    const member = memberOf(k.subjectId, k.version);
    const stored = await this.connection.run((client) =>
      createScript.run(client, this.keys(), [member, storedValue(k)]),
    );
    return keyOf(member, stored as string);
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const member = memberOf(subjectId, version);
    const [hash] = this.keys();
    const stored = await this.connection.run((client) => client.hget(hash, member));
    return stored === null ? undefined : keyOf(member, stored);
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const found = await this.connection.run((client) =>
      latestScript.run(client, this.keys(), rangeOf(subjectId)),
    );
    if (found === null) return undefined;
    const [member, stored] = found as [string, string];
    return keyOf(member, stored);
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    const count = await this.connection.run((client) =>
      destroyScript.run(client, this.keys(), rangeOf(subjectId)),
    );
    return Number(count);
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const start = after === undefined ? '-' : `(${memberOf(after.subjectId, after.version)}`;
    const page = (await this.connection.run((client) =>
      listScript.run(client, this.keys(), [start, limit]),
    )) as string[];
    const keys: WrappedDataKey[] = [];
    for (let i = 0; i < page.length; i += 2) keys.push(keyOf(page[i]!, page[i + 1]!));
    return keys;
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const k = prepareDataKey(key);
    assertName(expectedMasterKeyId, 'expectedMasterKeyId');
    const expected = `${k.keyId}${SEPARATOR}${expectedMasterKeyId}${SEPARATOR}`;
    const [hash] = this.keys();
    const changed = await this.connection.run((client) =>
      rewrapScript.run(client, [hash], [memberOf(k.subjectId, k.version), expected, storedValue(k)]),
    );
    return Number(changed) > 0;
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }

  private keys(): [hash: string, order: string] {
    const { keys } = this.connection;
    return [keys.dataKeys, keys.dataKeyOrder];
  }
}

function memberOf(subjectId: string, version: number): string {
  return `${subjectId}${SEPARATOR}${String(version).padStart(VERSION_DIGITS, '0')}`;
}

/** The lex range of exactly one subject's members, inclusive start, exclusive end. */
function rangeOf(subjectId: string): [string, string] {
  return [`[${subjectId}${SEPARATOR}`, `(${subjectId}\u0001`];
}

function storedValue(key: WrappedDataKey): string {
  return [key.keyId, key.masterKeyId, key.wrappedKey].join(SEPARATOR);
}

function keyOf(member: string, value: string): WrappedDataKey {
  const split = member.lastIndexOf(SEPARATOR);
  const [keyId, masterKeyId, wrappedKey] = value.split(SEPARATOR) as [string, string, string];
  return {
    subjectId: member.slice(0, split),
    version: Number(member.slice(split + 1)),
    keyId,
    masterKeyId,
    wrappedKey,
  };
}
