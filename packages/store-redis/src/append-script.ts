import {
  type AppendResult,
  ConcurrencyError,
  PositionsExhaustedError,
  type PreparedAppend,
  recordedEventsOf,
  resolveIdempotentRetry,
  type StoredEventLocation,
  withRecordedEvents,
} from '@strata/core';
import { assertFitsBulk } from './bulk-limit.js';
import { encodeEventBody, MAX_NUMBER_DIGITS } from './event-codec.js';
import { CLUSTER_SLOTS } from './key-slot.js';
import { LuaScript } from './lua-script.js';
import { type RedisConnection, STORE_NAME } from './redis-connection.js';

/**
 * The whole append in one atomic script: the event-id lookup (idempotent retries), the version
 * check, the versions and positions, and the writes. Redis runs one script at a time, so of many
 * concurrent appenders expecting the same version exactly one passes the check, and positions
 * enter the global log in commit order: a tailing reader never sees position n+1 before n.
 *
 * KEYS: 1 stream events list, 2 stream type, 3 id index (store-wide in standalone, the stream's
 *       own in cluster mode), 4 the global log (standalone) or the slot's position counter (cluster),
 *       5 standalone only: the position before the log's first event (absent: 0)
 * ARGV: 1 expected version, 2 stream type (JSON), 3 stream id (JSON), 4 stream id, 5 recordedAt
 *       (ms), 6 the append-notice channel (empty: publish nothing), 7 cluster only: the stream's
 *       slot; then per event: id, type (JSON), body. The mode is the number of keys: every
 *       argument costs the client and the server a little on every append.
 *
 * A written append ends with a PUBLISH of its last position on the notice channel: in the script,
 * so a notice goes out exactly when the writes happened, and no command of the store is still in
 * flight after `append` returns. Redis propagates it to a Cluster's other nodes.
 *
 * Replies (an integer on the common path: ioredis reads every bulk reply into a Buffer before it
 * makes a string of it, and the four-element reply this replaced made a serial one-event append about
 * 5-6% slower than an integer, measured; one string instead of the array saved nothing):
 * - written, the append naming an exact expected version and the stream's own type, and the last
 *   position below 2^53: that position, as a positive integer;
 * - written, otherwise: the text `firstVersion:lastPosition`, with `:streamType` (JSON) after it
 *   only when the stream's stored type differs from the one the append names;
 * - a version conflict: the integer -(actualVersion + 1);
 * - `{'full'}` when the batch's positions would pass 2^63 - 1 (nothing is written);
 * - `{'found', id, location, ...}` when ids exist (the client then decides with core's rules).
 *
 * Lua numbers are doubles, exact only up to 2^53. Positions below that are formatted from numbers
 * (the fast, common case); past it they are computed digit by digit on decimal strings. Entries
 * store a position as `positionJson` does: a number up to 15 digits, a string past that.
 * With the stored stream type, an `ok` reply tells the client everything it needs to build the
 * batch's events as reads will return them.
 */
const APPEND_LUA = `
-- Standalone sends five keys, cluster four and the slot.
local mode, FIRST, slot = 's', 7, 0
if #KEYS == 4 then mode, FIRST, slot = 'c', 8, tonumber(ARGV[7]) end
local n = (#ARGV - FIRST + 1) / 3
local CHUNK = 1000

if n == 1 then
  -- One HGET, not an HMGET and the tables around it: most appends carry one event.
  local location = redis.call('HGET', KEYS[3], ARGV[FIRST])
  if location then return {'found', ARGV[FIRST], location} end
else
  local found = {}
  for from = 1, n, CHUNK do
    local ids = {}
    for j = from, math.min(from + CHUNK - 1, n) do ids[#ids + 1] = ARGV[FIRST + (j - 1) * 3] end
    local locations = redis.call('HMGET', KEYS[3], unpack(ids))
    for k = 1, #ids do
      if locations[k] then
        found[#found + 1] = ids[k]
        found[#found + 1] = locations[k]
      end
    end
  end
  if #found > 0 then
    table.insert(found, 1, 'found')
    return found
  end
end

local current = redis.call('LLEN', KEYS[1])
local expected = ARGV[1]
local ok
if expected == 'any' then ok = true
elseif expected == 'no_stream' then ok = current == 0
elseif expected == 'stream_exists' then ok = current > 0
else ok = current == tonumber(expected) end
if not ok then return -current - 1 end

-- digits * factor + addend, on a decimal string: exact where a double is not.
local function mulAdd(digits, factor, addend)
  local out, carry = {}, addend
  for i = #digits, 1, -1 do
    local d = tonumber(string.sub(digits, i, i)) * factor + carry
    out[i] = d % 10
    carry = math.floor(d / 10)
  end
  local text = table.concat(out)
  if carry > 0 then text = string.format('%d', carry) .. text end
  return (string.gsub(text, '^0+(%d)', '%1'))
end
local MAX_POSITION = '9223372036854775807'
local EXACT = 9007199254740992

-- Positions: standalone start + log length + j; cluster (sequence + j) * slots + slot. A stream
-- that exists has a type to read: standalone reads it with the start in one MGET.
local start, base, storedType
if mode == 's' then
  if current == 0 then
    start = redis.call('GET', KEYS[5])
  else
    local pair = redis.call('MGET', KEYS[5], KEYS[2])
    start, storedType = pair[1], pair[2]
  end
  start = start or '0'
  base = redis.call('LLEN', KEYS[4])
else
  start = '0'
  base = tonumber(redis.call('GET', KEYS[4]) or '0')
  if current > 0 then storedType = redis.call('GET', KEYS[2]) end
end
local step = 1
if mode ~= 's' then step = ${CLUSTER_SLOTS} end
local exact = start == '0' and (base + n) * step + slot < EXACT
local function positionOf(j)
  if exact then return string.format('%d', (base + j) * step + slot) end
  if mode == 's' then return mulAdd(start, 1, base + j) end
  return mulAdd(string.format('%d', base + j), step, slot)
end
local last = positionOf(n)
if #last > #MAX_POSITION or (#last == #MAX_POSITION and last > MAX_POSITION) then return {'full'} end
if mode ~= 's' then redis.call('INCRBY', KEYS[4], n) end

local streamType
if current == 0 then
  streamType = ARGV[2]
  redis.call('SET', KEYS[2], streamType)
else
  streamType = storedType or ARGV[2]
end
local recordedAt = ARGV[5]
-- Standalone: the log's copy of an entry adds the stream id, and the id index names the stream.
local logClose, suffix = ',' .. ARGV[3] .. ']', ':' .. ARGV[4]

-- Each large string costs Lua an allocation, a hash and garbage to collect: an entry and its
-- log copy are built in one concatenation each, with no shared head made first. Numbers are
-- formatted with %d, cheaper than the %.14g a concatenation would use. (Stream entries with the
-- stream id in them, so that both lists could share one string, read 5-10% slower: measured.)
local entries, logEntries, index = {}, {}, {}
local position
for j = 1, n do
  local at = FIRST + (j - 1) * 3
  local version = string.format('%d', current + j)
  position = positionOf(j)
  local stored = position
  if #position > ${MAX_NUMBER_DIGITS} then stored = '"' .. position .. '"' end
  local eventType, body = ARGV[at + 1], ARGV[at + 2]
  entries[j] = '[' .. eventType .. ',' .. version .. ',' .. stored .. ',' .. recordedAt .. ',' .. streamType .. ',' .. body .. ']'
  index[2 * j - 1] = ARGV[at]
  if mode == 's' then
    logEntries[j] = '[' .. eventType .. ',' .. version .. ',' .. stored .. ',' .. recordedAt .. ',' .. streamType .. ',' .. body .. logClose
    index[2 * j] = version .. ':' .. position .. suffix
  else
    index[2 * j] = version .. ':' .. position
  end
end

for from = 1, n, CHUNK do
  local to = math.min(from + CHUNK - 1, n)
  redis.call('RPUSH', KEYS[1], unpack(entries, from, to))
  if mode == 's' then redis.call('RPUSH', KEYS[4], unpack(logEntries, from, to)) end
  redis.call('HSET', KEYS[3], unpack(index, 2 * from - 1, 2 * to))
end
if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[6], position) end
if streamType == ARGV[2] then
  -- The common case: the client knows the first version and the type, so the last position is all
  -- it needs, as an integer while a double holds it exactly.
  if exact and tonumber(expected) then return (base + n) * step + slot end
  return string.format('%d', current + 1) .. ':' .. position
end
return string.format('%d', current + 1) .. ':' .. position .. ':' .. streamType
`;

const appendScript = new LuaScript(APPEND_LUA);

/**
 * Runs the append script. Rejects with `ConcurrencyError` on a version conflict, and with
 * `DuplicateEventError` (via core's rules) for a reused id; an exact retry resolves with the
 * original result. Throws `ValidationError`, before sending anything, for an event larger than
 * the server takes.
 */
export function runAppend(
  connection: RedisConnection,
  append: PreparedAppend,
  /** The channel to publish the append's last position on; `undefined` publishes nothing. */
  noticeChannel?: string,
): Promise<AppendResult> {
  const maxBulkLength = connection.knownMaxBulkLength;
  // Only the store's first append waits for the server's limit.
  if (maxBulkLength === undefined) {
    return connection.maxBulkLength().then(() => runAppend(connection, append, noticeChannel));
  }
  const { keys, cluster } = connection;
  const { streamId } = append;
  const recordedAt = Date.now();
  const args: (string | number)[] = [
    String(append.expectedVersion),
    JSON.stringify(append.streamType),
    JSON.stringify(streamId),
    streamId,
    recordedAt,
    noticeChannel ?? '',
  ];
  let keyList: string[];
  if (cluster) {
    const sequence = keys.slotSequence(streamId);
    args.push(sequence.slot);
    // No start key: every key of a script must share the stream's slot.
    keyList = [keys.events(streamId), keys.streamType(streamId), keys.streamIds(streamId), sequence.key];
  } else {
    keyList = [keys.events(streamId), keys.streamType(streamId), keys.ids, keys.log, keys.start];
  }
  const { events } = append;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const body = encodeEventBody(event);
    assertFitsBulk(event, body, i, maxBulkLength);
    args.push(event.id, JSON.stringify(event.type), body);
  }
  return connection.run(
    (client) => appendScript.run(client, keyList, args),
    (reply) => resultOf(reply as string | number | unknown[], append, recordedAt, cluster),
  );
}

function resultOf(
  reply: string | number | unknown[],
  append: PreparedAppend,
  recordedAt: number,
  cluster: boolean,
): AppendResult {
  if (typeof reply === 'number') {
    if (reply < 0) throw new ConcurrencyError(append.streamId, append.expectedVersion, -reply - 1);
    // Only an exact expected version gets this reply: the batch starts right after it.
    return written(append, recordedAt, cluster, (append.expectedVersion as number) + 1, BigInt(reply));
  }
  if (typeof reply === 'string') {
    const first = reply.indexOf(':');
    const second = reply.indexOf(':', first + 1);
    return written(
      append,
      recordedAt,
      cluster,
      Number(reply.slice(0, first)),
      BigInt(reply.slice(first + 1, second === -1 ? undefined : second)),
      // The stream's type as stored: its first append fixed it. The reply names it only when the
      // append named another.
      second === -1 ? append.streamType : (JSON.parse(reply.slice(second + 1)) as string),
    );
  }
  if (reply[0] === 'full') throw new PositionsExhaustedError(STORE_NAME);
  const found: StoredEventLocation[] = [];
  for (let i = 1; i < reply.length; i += 2)
    found.push(parseLocation(String(reply[i]), String(reply[i + 1]), append.streamId));
  // Not undefined: `found` is not empty. Throws DuplicateEventError unless it is an exact retry.
  return resolveIdempotentRetry(append, found)!;
}

/** A written append's result, with the events it recorded built only when asked for. */
function written(
  append: PreparedAppend,
  recordedAt: number,
  cluster: boolean,
  firstVersion: number,
  lastPosition: bigint,
  streamType = append.streamType,
): AppendResult {
  // A batch's positions are consecutive in standalone mode and one slot range apart in cluster
  // mode, where a position is `sequence * CLUSTER_SLOTS + slot`. The script stores the recordedAt
  // the client sends it, as is.
  const batch = {
    firstVersion,
    lastPosition,
    positionStep: cluster ? BigInt(CLUSTER_SLOTS) : 1n,
    streamType,
    recordedAt,
  };
  const result = {
    streamId: append.streamId,
    firstVersion,
    lastVersion: firstVersion + append.events.length - 1,
    lastPosition,
  };
  return withRecordedEvents(result, () => recordedEventsOf(append, batch));
}

/** `version:position` (cluster: in this stream) or `version:position:streamId` (standalone). */
function parseLocation(id: string, location: string, appendedStreamId: string): StoredEventLocation {
  const first = location.indexOf(':');
  const second = location.indexOf(':', first + 1);
  return {
    id,
    version: Number(location.slice(0, first)),
    position: BigInt(location.slice(first + 1, second === -1 ? undefined : second)),
    streamId: second === -1 ? appendedStreamId : location.slice(second + 1),
  };
}
