import type { Redis } from 'ioredis';
import { CLUSTER_SLOTS } from '../../src/key-slot.js';
import { LuaScript } from '../../src/lua-script.js';

/**
 * The append script as released (0.1, main before issue 12), verbatim. Kept so the tests of data
 * written before issue 12 read what released code wrote, not a hand-made imitation. Standalone only.
 */
const RELEASED_APPEND_LUA = `
local mode = ARGV[1]
local FIRST = 8
local n = (#ARGV - FIRST + 1) / 3
local CHUNK = 1000

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

local current = redis.call('LLEN', KEYS[1])
local expected = ARGV[2]
local ok
if expected == 'any' then ok = true
elseif expected == 'no_stream' then ok = current == 0
elseif expected == 'stream_exists' then ok = current > 0
else ok = current == tonumber(expected) end
if not ok then return {'conflict', current} end

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

-- Positions: standalone start + log length + j; cluster (sequence + j) * slots + slot.
local slot = tonumber(ARGV[6])
local start, base
if mode == 's' then
  start = redis.call('GET', KEYS[5]) or '0'
  base = redis.call('LLEN', KEYS[4])
else
  start = '0'
  base = tonumber(redis.call('GET', KEYS[4]) or '0')
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
  streamType = ARGV[3]
  redis.call('SET', KEYS[2], streamType)
else
  streamType = redis.call('GET', KEYS[2]) or ARGV[3]
end
local recordedAt = ARGV[7]
local suffix = ':' .. ARGV[5]
if mode ~= 's' then suffix = '' end

local entries, logEntries, index = {}, {}, {}
local position
for j = 1, n do
  local at = FIRST + (j - 1) * 3
  local version = string.format('%d', current + j)
  position = positionOf(j)
  local head = '[' .. ARGV[at + 1] .. ',' .. version .. ',"' .. position .. '",' .. recordedAt .. ',' .. streamType .. ',' .. ARGV[at + 2]
  entries[j] = head .. ']'
  if mode == 's' then logEntries[j] = head .. ',' .. ARGV[4] .. ']' end
  index[#index + 1] = ARGV[at]
  index[#index + 1] = version .. ':' .. position .. suffix
end

for from = 1, n, CHUNK do
  local to = math.min(from + CHUNK - 1, n)
  redis.call('RPUSH', KEYS[1], unpack(entries, from, to))
  if mode == 's' then redis.call('RPUSH', KEYS[4], unpack(logEntries, from, to)) end
  redis.call('HSET', KEYS[3], unpack(index, 2 * from - 1, 2 * to))
end
return {'ok', current + 1, position, streamType}
`;

const releasedAppend = new LuaScript(RELEASED_APPEND_LUA);

export interface ReleasedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  schemaVersion: number;
  occurredAt: Date;
}

/** Appends `events` to `streamId` with the released script and the released client's arguments. */
export async function appendWithReleasedScript(
  client: Redis,
  keyPrefix: string,
  streamId: string,
  streamType: string,
  expectedVersion: number | 'any',
  events: readonly ReleasedEvent[],
  recordedAt: number,
): Promise<unknown[]> {
  const tag = streamId.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const args: (string | number)[] = [
    's',
    String(expectedVersion),
    JSON.stringify(streamType),
    JSON.stringify(streamId),
    streamId,
    0,
    recordedAt,
  ];
  for (const event of events) {
    const body = `${JSON.stringify(event.id)},${event.schemaVersion},${event.occurredAt.getTime()},${JSON.stringify(event.data)},${JSON.stringify(event.metadata)}`;
    args.push(event.id, JSON.stringify(event.type), body);
  }
  const keys = [
    `${keyPrefix}{${tag}}:e`,
    `${keyPrefix}{${tag}}:t`,
    `${keyPrefix}ids`,
    `${keyPrefix}log`,
    `${keyPrefix}start`,
  ];
  return (await releasedAppend.run(client, keys, args)) as unknown[];
}
