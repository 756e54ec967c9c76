import { createHash } from 'node:crypto';
import { type PreparedRewrite, rewriteConflict, rewriteGuardHolds, SerializationError } from '@strata/core';
import { decodeEvent } from './event-codec.js';
import { logStart } from './log-reader.js';
import { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Replaces one stored event's text, in the stream's list and (standalone) in the global log, if
 * the stream's entry is still exactly the text the client read: a compare-and-set on its SHA-1,
 * so a rewrite is checked against what it read and written in one atomic step. The log entry is
 * the stream entry with the stream id appended; it must be the one the old text implies.
 *
 * KEYS: 1 the stream's events list, 2 standalone only: the global log
 * ARGV: 1 list index (version - 1), 2 SHA-1 of the text read, 3 the new text,
 *       4 standalone only: the log index, 5 the stream id as JSON
 * Replies: `'ok'`, `'changed'` (the entry is not the text read: read again), `'log'` (the log
 * does not hold the entry the stream does: nothing written).
 */
const REWRITE_LUA = `
local old = redis.call('LINDEX', KEYS[1], ARGV[1])
if not old or redis.sha1hex(old) ~= ARGV[2] then return 'changed' end
if KEYS[2] then
  local logged = string.sub(old, 1, -2) .. ',' .. ARGV[5] .. ']'
  if redis.call('LINDEX', KEYS[2], ARGV[4]) ~= logged then return 'log' end
  redis.call('LSET', KEYS[2], ARGV[4], string.sub(ARGV[3], 1, -2) .. ',' .. ARGV[5] .. ']')
end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
return 'ok'
`;

const rewriteScript = new LuaScript(REWRITE_LUA);

/** How often a rewrite reads again after another writer changed the entry under it, guard still holding. */
const MAX_ATTEMPTS = 10;

/**
 * Rewrites the event, or throws `EventRewriteConflictError`. The guard is checked on the client
 * against the entry as read; the script writes only if that entry is still there, unchanged.
 */
export async function rewriteRedisEvent(
  connection: RedisConnection,
  rewrite: PreparedRewrite,
): Promise<void> {
  const { keys, cluster } = connection;
  const eventsKey = keys.events(rewrite.streamId);
  const index = rewrite.version - 1;
  for (let attempt = 1; ; attempt++) {
    const text = await connection.run((client) => client.lindex(eventsKey, index));
    const stored = text === null ? undefined : decodeEvent(text, rewrite.streamId);
    if (!rewriteGuardHolds(rewrite, stored)) throw rewriteConflict(rewrite, stored);
    const event = stored!;
    const newText =
      `[${JSON.stringify(rewrite.type)},${event.version},"${event.position}",${event.recordedAt.getTime()},` +
      `${JSON.stringify(event.streamType)},${JSON.stringify(event.id)},${rewrite.schemaVersion},` +
      `${event.occurredAt.getTime()},${rewrite.dataJson},${rewrite.metadataJson}]`;
    const sha = createHash('sha1').update(text!).digest('hex');
    const args: (string | number)[] = [index, sha, newText];
    const keyList = [eventsKey];
    if (!cluster) {
      const logIndex = event.position - (await logStart(connection)) - 1n;
      args.push(logIndex.toString(), JSON.stringify(rewrite.streamId));
      keyList.push(keys.log);
    }
    const reply = await connection.run((client) => rewriteScript.run(client, keyList, args));
    if (reply === 'ok') return;
    if (reply === 'log') {
      throw new SerializationError(
        event.type,
        `[strata] [redis] the global log does not hold event ${event.id} at position ${event.position} as its stream does: ` +
          'the keys under this prefix were changed behind the store; nothing was rewritten',
      );
    }
    if (attempt === MAX_ATTEMPTS) throw rewriteConflict(rewrite, stored);
  }
}
