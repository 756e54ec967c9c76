import { LuaScript } from './lua-script.js';

/**
 * The newest `limit` events of a version window, in one call: which versions those are depends on
 * the stream's length, which the client does not know yet.
 *
 * KEYS: 1 stream events list. ARGV: 1 fromVersion, 2 toVersion, 3 limit. Returns entries oldest first.
 */
export const readNewestScript = new LuaScript(`
local last = math.min(tonumber(ARGV[2]), redis.call('LLEN', KEYS[1]))
local first = math.max(tonumber(ARGV[1]), last - tonumber(ARGV[3]) + 1)
if last < first then return {} end
return redis.call('LRANGE', KEYS[1], first - 1, last - 1)
`);
