import { LuaScript } from './lua-script.js';

/**
 * How long a generation outlives its last change, at least (seconds), and how old a read may be
 * for its promotion to be accepted (ms). The window is shorter than the lifetime, so a key that
 * expired and came back (its generation starting over) can never be mistaken for the one a reader
 * saw: every change after the read keeps the key alive past the window.
 */
export const GENERATION_LIFETIME_SECONDS = 60;
export const PROMOTE_WINDOW_MS = 30_000;

// Every script takes KEYS[1] = the stream's snapshot hash (g: generation, c: the copy, h: the copy
// held for the one writer in flight) and KEYS[2] = its writers (a hash of token -> lease deadline,
// ms). Times are the Redis server's (TIME), so no client clock is compared with another. A copy is
// one field: whole or absent.
const COMMON = `
local S, W = KEYS[1], KEYS[2]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function deadline(v)
  return tonumber(v)
end
-- Forgets writers whose lease ended, and the copy held for one (its outcome is unknown); returns
-- the live writers but mine.
local function writers(t, mine)
  local all = redis.call('HGETALL', W)
  local live = {}
  for i = 1, #all, 2 do
    local d = deadline(all[i + 1])
    if d == nil or d <= t then
      redis.call('HDEL', W, all[i])
      redis.call('HDEL', S, 'h')
    elseif all[i] ~= mine then
      live[#live + 1] = all[i]
    end
  end
  return live
end
local function version(v)
  return tonumber(string.match(v, '^(%d+)')) or 0
end
local function keep(ttl)
  redis.call('EXPIRE', S, math.max(tonumber(ttl), ${GENERATION_LIFETIME_SECONDS}))
end
`;

/**
 * ARGV: ttl to refresh (0: none). Returns {copy or '', generation, live writers, server time ms}.
 */
export const SNAPSHOT_READ_SCRIPT = new LuaScript(`${COMMON}
local t = now()
local live = writers(t, nil)
local g = redis.call('HGET', S, 'g') or '0'
local c = redis.call('HGET', S, 'c') or ''
if tonumber(ARGV[1]) > 0 and redis.call('EXISTS', S) == 1 then keep(ARGV[1]) end
return {c, g, #live, tostring(t)}
`);

/**
 * A writer's first step, before its warm write. ARGV: token, lease ms, ttl. The copy stops being
 * served (held aside for this writer if no other is in flight, else dropped along with any held
 * copy), the generation moves on (refusing every promotion of a warm answer read before), and the
 * writer is pending until its lease ends. So a held copy exists only while the one writer that
 * began alone is still the only one, within its lease.
 */
export const SNAPSHOT_BEGIN_SCRIPT = new LuaScript(`${COMMON}
local t = now()
local live = writers(t, nil)
local c = redis.call('HGET', S, 'c')
redis.call('HDEL', S, 'c', 'h')
if #live == 0 and c then redis.call('HSET', S, 'h', c) end
local lease = tonumber(ARGV[2])
redis.call('HSET', W, ARGV[1], t + lease)
redis.call('HINCRBY', S, 'g', 1)
keep(ARGV[3])
if redis.call('PTTL', W) < lease + 1000 then redis.call('PEXPIRE', W, lease + 1000) end
return 1
`);

/**
 * A writer's last step, after its warm write. ARGV: token, kind ('save', 'delete' or 'unknown'),
 * the saved snapshot's value, its version (save) or beforeVersion ('' for all; delete), ttl.
 * The writer stops pending and the generation moves on. Only a writer that was alone from its
 * first step to this one, within its lease, with a copy held (the newest snapshot overall when it
 * began), knows the newest snapshot now: the saved one if at least as new as the held one, else
 * the held one; after a delete, the held one if it survived, else none at all. Any other writer
 * leaves no copy.
 */
export const SNAPSHOT_END_SCRIPT = new LuaScript(`${COMMON}
local t = now()
local mine = redis.call('HGET', W, ARGV[1])
local live = writers(t, ARGV[1])
redis.call('HDEL', W, ARGV[1])
local held = redis.call('HGET', S, 'h')
redis.call('HDEL', S, 'h')
redis.call('HINCRBY', S, 'g', 1)
keep(ARGV[5])
local alone = mine and deadline(mine) > t and #live == 0
if not alone or not held or ARGV[2] == 'unknown' then
  redis.call('HDEL', S, 'c')
  return 'dropped'
end
local hv = version(held)
if ARGV[2] == 'save' then
  if hv <= tonumber(ARGV[4]) then
    redis.call('HSET', S, 'c', ARGV[3])
    return 'stored'
  end
  redis.call('HSET', S, 'c', held)
  return 'kept'
end
if ARGV[4] ~= '' and hv >= tonumber(ARGV[4]) then
  redis.call('HSET', S, 'c', held)
  return 'kept'
end
redis.call('HSET', S, 'c', '0')
return 'stored'
`);

/**
 * A reader's promotion of an unfiltered warm answer. ARGV: generation seen, server time of that
 * read, the value, its version (0: no snapshot), ttl. Refused when the read is older than the
 * window, a writer is pending, or the generation moved on (a writer or a delete came since the
 * read, so the warm answer may be old); a copy at least as new is kept.
 */
export const SNAPSHOT_PROMOTE_SCRIPT = new LuaScript(`${COMMON}
local t = now()
if t - tonumber(ARGV[2]) > ${PROMOTE_WINDOW_MS} then return 'refused' end
local live = writers(t, nil)
if #live > 0 then return 'refused' end
if (redis.call('HGET', S, 'g') or '0') ~= ARGV[1] then return 'refused' end
local c = redis.call('HGET', S, 'c')
if c and version(c) >= tonumber(ARGV[4]) then return 'kept' end
redis.call('HSET', S, 'c', ARGV[3])
keep(ARGV[5])
return 'stored'
`);

/**
 * Deletes everything the hot tier holds of a stream. KEYS: the event copy's data and offsets, the
 * snapshot hash. The snapshot's generation moves on, so no warm answer read before is promoted.
 */
export const INVALIDATE_SCRIPT = new LuaScript(`
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[3], 'c', 'h')
redis.call('HINCRBY', KEYS[3], 'g', 1)
if redis.call('TTL', KEYS[3]) < ${GENERATION_LIFETIME_SECONDS} then
  redis.call('EXPIRE', KEYS[3], ${GENERATION_LIFETIME_SECONDS})
end
return 1
`);
