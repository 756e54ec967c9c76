import { LuaScript } from './lua-script.js';

// Every script takes KEYS[1] = the copy's bounds (hash: f, t, a) and KEYS[2] = its events (list,
// version f at index 0). A copy is intact when both exist and the list holds exactly t - f + 1
// entries; a script that finds anything else deletes both keys, so a copy is complete or absent.
// Numbers go back to Redis as strings (string.format '%d' or the caller's own text): Redis formats
// a Lua number like 1.7e+12 otherwise.

const INTACT = `
local function intact(m)
  if not (m[1] and m[2] and m[3]) then return false end
  return redis.call('LLEN', KEYS[2]) == tonumber(m[2]) - tonumber(m[1]) + 1
end
local function drop()
  return redis.call('DEL', KEYS[1], KEYS[2]) > 0
end
local function push(first)
  for i = first, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
end
local function expire(ttl)
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
end
`;

/**
 * ARGV: fromVersion, toVersion, limit (-1: none), backward (1/0), ttl to refresh (0: none).
 * Returns {'absent'} | {'dropped'} | {'uncovered', f, t, a} | {'covered', f, t, a, {entries...}}.
 * The entries come back as they are stored: joining them here would cost the server more than the
 * client spends parsing them one by one.
 */
export const READ_SCRIPT = new LuaScript(`${INTACT}
local m = redis.call('HMGET', KEYS[1], 'f', 't', 'a')
if not intact(m) then
  if drop() then return {'dropped'} end
  return {'absent'}
end
local f = tonumber(m[1])
local t = tonumber(m[2])
if tonumber(ARGV[5]) > 0 then expire(ARGV[5]) end
local lo = tonumber(ARGV[1])
if lo < f then return {'uncovered', m[1], m[2], m[3]} end
local hi = math.min(tonumber(ARGV[2]), t)
local limit = tonumber(ARGV[3])
if limit >= 0 then
  if ARGV[4] == '1' then lo = math.max(lo, hi - limit + 1) else hi = math.min(hi, lo + limit - 1) end
end
if lo > hi then return {'covered', m[1], m[2], m[3], {}} end
return {'covered', m[1], m[2], m[3], redis.call('LRANGE', KEYS[2], lo - f, hi - f)}
`);

/**
 * ARGV: fromVersion, toVersion, verifiedAt, ttl, entries... Stores the entries unless an intact copy
 * reaches further (or as far from as early); then only that copy's verifiedAt moves up: it reaches
 * at least as far as what the caller read, so it holds everything committed before the caller's read.
 */
export const PROMOTE_SCRIPT = new LuaScript(`${INTACT}
local nf = tonumber(ARGV[1])
local nt = tonumber(ARGV[2])
local m = redis.call('HMGET', KEYS[1], 'f', 't', 'a')
if intact(m) then
  local f = tonumber(m[1])
  local t = tonumber(m[2])
  if t > nt or (t == nt and f <= nf) then
    if tonumber(m[3]) < tonumber(ARGV[3]) then redis.call('HSET', KEYS[1], 'a', ARGV[3]) end
    expire(ARGV[4])
    return 'kept'
  end
end
drop()
push(5)
redis.call('HSET', KEYS[1], 'f', ARGV[1], 't', ARGV[2], 'a', ARGV[3])
expire(ARGV[4])
return 'stored'
`);

/**
 * ARGV: afterVersion b, lastVersion n, verifiedAt, ttl, maxEvents, entries of versions b+1..n (or none).
 * Appends to a copy ending exactly at b; keeps a copy already reaching n (versions are immutable,
 * so it holds these very events); deletes any other copy. Never creates one.
 */
export const EXTEND_SCRIPT = new LuaScript(`${INTACT}
local b = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local m = redis.call('HMGET', KEYS[1], 'f', 't', 'a')
if not intact(m) then
  if drop() then return 'dropped' end
  return 'absent'
end
local f = tonumber(m[1])
local t = tonumber(m[2])
if t >= n then return 'kept' end
if t ~= b or #ARGV - 5 ~= n - b then
  drop()
  return 'dropped'
end
push(6)
local length = t - f + 1 + (n - b)
local max = tonumber(ARGV[5])
if length > max then
  redis.call('LTRIM', KEYS[2], length - max, -1)
  f = f + (length - max)
end
local a = m[3]
if tonumber(ARGV[3]) > tonumber(a) then a = ARGV[3] end
redis.call('HSET', KEYS[1], 'f', string.format('%d', f), 't', ARGV[2], 'a', a)
expire(ARGV[4])
return 'extended'
`);

/** ARGV: toVersion, verifiedAt. Moves verifiedAt up if the copy still ends at toVersion. */
export const CONFIRM_SCRIPT = new LuaScript(`
local m = redis.call('HMGET', KEYS[1], 't', 'a')
if m[1] == ARGV[1] and m[2] and tonumber(m[2]) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'a', ARGV[2])
  return 1
end
return 0
`);
