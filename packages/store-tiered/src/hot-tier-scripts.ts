import { HEADER_LENGTH, VERIFIED_AT_OFFSET } from './hot-copy-header.js';
import { OFFSET_BYTES } from './hot-event-codec.js';
import { LuaScript } from './lua-script.js';

// Every script takes KEYS[1] = the copy's data (a string: the header, then the entries, each
// followed by a comma) and KEYS[2] = its offsets (a string of big-endian uint32s, where each entry
// starts, counted from the end of the header). A copy is intact when the data has a header and the
// offsets hold exactly one number per version from f to t; a script that finds anything else
// deletes both keys, so a copy is complete or absent. Readers of the whole copy use a plain GET of
// the data, which is self-contained: they check the entries against the header themselves.

const COMMON = `
local H = ${HEADER_LENGTH}
local W = ${OFFSET_BYTES}
local function header()
  local h = redis.call('GETRANGE', KEYS[1], 0, H - 1)
  if #h ~= H then return nil end
  return tonumber(string.sub(h, 1, 10)), tonumber(string.sub(h, 11, 20)), string.sub(h, ${VERIFIED_AT_OFFSET + 1}, H), h
end
local function intact(f, t)
  return f ~= nil and t ~= nil and t >= f and redis.call('STRLEN', KEYS[2]) == W * (t - f + 1)
end
local function drop()
  return redis.call('DEL', KEYS[1], KEYS[2]) > 0
end
local function offset(i)
  return struct.unpack('>I4', redis.call('GETRANGE', KEYS[2], W * i, W * i + W - 1))
end
local function expire(ttl)
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
end
`;

/**
 * ARGV: fromVersion, toVersion, limit (-1: none), backward (1/0), ttl to refresh (0: none).
 * Returns {'absent'} | {'dropped'} | {'uncovered', header} | {'covered', header, entries}, where
 * entries are the bytes of the range's entries (limit and direction applied against the copy's
 * end), ascending, each followed by a comma.
 */
export const READ_SCRIPT = new LuaScript(`${COMMON}
local f, t, a, h = header()
if not intact(f, t) then
  if drop() then return {'dropped'} end
  return {'absent'}
end
if tonumber(ARGV[5]) > 0 then expire(ARGV[5]) end
local lo = tonumber(ARGV[1])
if lo < f then return {'uncovered', h} end
local hi = math.min(tonumber(ARGV[2]), t)
local limit = tonumber(ARGV[3])
if limit >= 0 then
  if ARGV[4] == '1' then lo = math.max(lo, hi - limit + 1) else hi = math.min(hi, lo + limit - 1) end
end
if lo > hi then return {'covered', h, ''} end
local last = -1
if hi < t then last = H + offset(hi - f + 1) - 1 end
return {'covered', h, redis.call('GETRANGE', KEYS[1], H + offset(lo - f), last)}
`);

/**
 * KEYS[3]: the stream's rewrite bar. While it exists nothing is stored ('refused'): the events the
 * caller read may predate an in-place rewrite, which no version check can tell.
 * ARGV: header (fromVersion, toVersion, verifiedAt), entries, offsets, ttl, the copy-notice channel
 * ('' publishes nothing), the stream id. Stores the copy unless an intact copy reaches further (or
 * as far from as early); then only that copy's verifiedAt moves up: it reaches at least as far as
 * what the caller read, so it holds everything committed before the caller's read. A stored copy is
 * announced on the channel in the same script, so no process can see the copy before the notice
 * is on its way (`HotTier.watchCopies`).
 */
export const PROMOTE_SCRIPT = new LuaScript(`${COMMON}
if redis.call('EXISTS', KEYS[3]) == 1 then return 'refused' end
local nf = tonumber(string.sub(ARGV[1], 1, 10))
local nt = tonumber(string.sub(ARGV[1], 11, 20))
local na = string.sub(ARGV[1], ${VERIFIED_AT_OFFSET + 1}, H)
local f, t, a = header()
if intact(f, t) and (t > nt or (t == nt and f <= nf)) then
  if tonumber(a) < tonumber(na) then redis.call('SETRANGE', KEYS[1], ${VERIFIED_AT_OFFSET}, na) end
  expire(ARGV[4])
  return 'kept'
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
redis.call('APPEND', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
-- pcall: a user barred from the channel still promotes; listeners then miss the notice, and
-- trust that the stream has no copy for at most ABSENT_COPY_TRUST_MS (absent-copies.ts).
if ARGV[5] ~= '' then redis.pcall('PUBLISH', ARGV[5], ARGV[6]) end
return 'stored'
`);

/**
 * ARGV: afterVersion b, lastVersion n, verifiedAt (16 digits), ttl, maxEvents, entries of versions
 * b+1..n (or none), their offsets counted from the start of those entries. Appends to a copy ending
 * exactly at b; keeps a copy already reaching n (versions are immutable, so it holds these very
 * events); deletes any other copy. Never creates one. A copy grown past maxEvents is cut to its
 * newest three quarters: cutting rewrites both keys, so it happens once per maxEvents/4 appends
 * rather than on every one.
 */
export const EXTEND_SCRIPT = new LuaScript(`${COMMON}
local b = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local f, t, a = header()
if not intact(f, t) then
  if drop() then return 'dropped' end
  return 'absent'
end
if t >= n then return 'kept' end
if t ~= b or #ARGV[7] ~= W * (n - b) then
  drop()
  return 'dropped'
end
local base = redis.call('STRLEN', KEYS[1]) - H
local moved = {}
for i = 0, n - b - 1 do
  moved[i + 1] = struct.pack('>I4', base + struct.unpack('>I4', ARGV[7], W * i + 1))
end
redis.call('APPEND', KEYS[1], ARGV[6])
redis.call('APPEND', KEYS[2], table.concat(moved))
if tonumber(ARGV[3]) > tonumber(a) then a = ARGV[3] end
local count = n - f + 1
local max = tonumber(ARGV[5])
if count > max then
  local keep = math.max(1, max - math.floor(max / 4))
  local cut = count - keep
  local from = offset(cut)
  local entries = redis.call('GETRANGE', KEYS[1], H + from, -1)
  local offsets = redis.call('GETRANGE', KEYS[2], W * cut, -1)
  local shifted = {}
  for i = 0, keep - 1 do
    shifted[i + 1] = struct.pack('>I4', struct.unpack('>I4', offsets, W * i + 1) - from)
  end
  f = f + cut
  redis.call('SET', KEYS[1], string.format('%010d%010d', f, n) .. a)
  redis.call('APPEND', KEYS[1], entries)
  redis.call('SET', KEYS[2], table.concat(shifted))
else
  redis.call('SETRANGE', KEYS[1], 0, string.format('%010d%010d', f, n) .. a)
end
expire(ARGV[4])
return 'extended'
`);

/**
 * KEYS: the data keys of several copies (no offsets: nothing is checked or changed). Returns each
 * one's header bytes, '' for none: `peek` of them all in one round trip. A single-slot command in
 * a Cluster only when all keys share a slot, so a Cluster client peeks one by one instead.
 */
export const PEEK_MANY_SCRIPT = new LuaScript(`
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('GETRANGE', key, 0, ${HEADER_LENGTH} - 1) end
return out
`);

/** ARGV: toVersion, verifiedAt (16 digits). Moves verifiedAt up if the copy still ends at toVersion. */
export const CONFIRM_SCRIPT = new LuaScript(`${COMMON}
local f, t, a = header()
if t == tonumber(ARGV[1]) and tonumber(a) < tonumber(ARGV[2]) then
  redis.call('SETRANGE', KEYS[1], ${VERIFIED_AT_OFFSET}, ARGV[2])
  return 1
end
return 0
`);

/**
 * KEYS: the copy's data and offsets, and the stream's rewrite bar. ARGV: how long the bar lasts
 * (seconds). Deletes the copy and bars promotions of the stream until the bar expires.
 */
export const INVALIDATE_REWRITTEN_SCRIPT = new LuaScript(`
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SET', KEYS[3], '1', 'EX', ARGV[1])
return 1
`);
