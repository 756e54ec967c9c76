import { createHash } from 'node:crypto';
import {
  type PreparedRewrite,
  type RecordedEvent,
  rewriteConflict,
  rewriteGuardHolds,
  SerializationError,
  UnsupportedOperationError,
} from '@strata/core';
import { decodeEvent, positionJson } from './event-codec.js';
import { keySlot } from './key-slot.js';
import { logStart } from './log-reader.js';
import { LuaScript } from './lua-script.js';
import { type RedisConnection, STORE_NAME } from './redis-connection.js';

/**
 * Replaces stored events' text, in their streams' lists and (standalone) in the global log, by a
 * compare-and-set in one script: every entry must still be the text the client read (SHA-1, the
 * guard was checked on it) and, standalone, the global log must hold what that text implies; only
 * when all of them are does the script replace any. The log entry is the stream entry with the
 * stream id appended. `rewriteEvent` is a batch of one. Redis runs a script alone, so
 * the batch is written whole or not at all.
 *
 * KEYS: 1..n the events list of each rewrite's stream (repeated when a stream has several),
 *       n + 1 standalone only: the global log
 * ARGV: 1 n, then per rewrite: list index, SHA-1 of the text read, the new text,
 *       and standalone only: the log index, the stream id as JSON
 * Replies: `'ok'`, `['changed', i]` (entry i is not the text read: read again), `['log', i]`
 * (the log does not hold entry i as its stream does: nothing written).
 */
const REWRITE_BATCH_LUA = `
local n = tonumber(ARGV[1])
local log = KEYS[n + 1]
local width = 3
if log then width = 5 end
for i = 1, n do
  local a = 1 + (i - 1) * width
  local old = redis.call('LINDEX', KEYS[i], ARGV[a + 1])
  if not old or redis.sha1hex(old) ~= ARGV[a + 2] then return {'changed', i} end
  if log then
    local logged = string.sub(old, 1, -2) .. ',' .. ARGV[a + 5] .. ']'
    if redis.call('LINDEX', log, ARGV[a + 4]) ~= logged then return {'log', i} end
  end
end
for i = 1, n do
  local a = 1 + (i - 1) * width
  if log then
    redis.call('LSET', log, ARGV[a + 4], string.sub(ARGV[a + 3], 1, -2) .. ',' .. ARGV[a + 5] .. ']')
  end
  redis.call('LSET', KEYS[i], ARGV[a + 1], ARGV[a + 3])
end
return 'ok'
`;

const rewriteBatchScript = new LuaScript(REWRITE_BATCH_LUA);

/** How often a batch reads again after another writer changed an entry under it, every guard still holding. */
const MAX_ATTEMPTS = 10;

/**
 * Rewrites every event of the batch, or none, and throws `EventRewriteConflictError` for a guard
 * that does not hold. On a Cluster one script can only touch one hash slot: a batch whose streams
 * sit in different slots is refused with `UnsupportedOperationError` before anything is read,
 * rather than split into parts that could commit apart.
 */
export async function rewriteRedisEvents(
  connection: RedisConnection,
  rewrites: PreparedRewrite[],
): Promise<void> {
  if (rewrites.length === 0) return;
  const { keys, cluster } = connection;
  const eventKeys = rewrites.map((rewrite) => keys.events(rewrite.streamId));
  if (cluster) assertOneSlot(rewrites, eventKeys);
  for (let attempt = 1; ; attempt++) {
    const texts = await Promise.all(
      rewrites.map((rewrite, i) =>
        connection.run((client) => client.lindex(eventKeys[i]!, rewrite.version - 1)),
      ),
    );
    const start = cluster ? 0n : await logStart(connection);
    const args: (string | number)[] = [rewrites.length];
    const stored: RecordedEvent[] = [];
    for (let i = 0; i < rewrites.length; i++) {
      const rewrite = rewrites[i]!;
      const text = texts[i]!;
      const event = text === null ? undefined : decodeEvent(text, rewrite.streamId);
      if (!rewriteGuardHolds(rewrite, event)) throw rewriteConflict(rewrite, event);
      stored.push(event!);
      args.push(
        rewrite.version - 1,
        createHash('sha1').update(text!).digest('hex'),
        newText(rewrite, event!),
      );
      if (!cluster) args.push((event!.position - start - 1n).toString(), JSON.stringify(rewrite.streamId));
    }
    const keyList = cluster ? eventKeys : [...eventKeys, keys.log];
    const reply = await connection.run((client) => rewriteBatchScript.run(client, keyList, args));
    if (reply === 'ok') return;
    const [kind, index] = reply as [string, number];
    const event = stored[index - 1]!;
    if (kind === 'log') {
      throw new SerializationError(
        event.type,
        `[strata] [redis] the global log does not hold event ${event.id} at position ${event.position} as its stream does: ` +
          'the keys under this prefix were changed behind the store; nothing was rewritten',
      );
    }
    if (attempt === MAX_ATTEMPTS) throw rewriteConflict(rewrites[index - 1]!, event);
  }
}

/** The stored entry's text with the rewrite's type, schema version and payload: the rest as stored. */
function newText(rewrite: PreparedRewrite, event: RecordedEvent): string {
  return (
    `[${JSON.stringify(rewrite.type)},${event.version},${positionJson(event.position)},${event.recordedAt.getTime()},` +
    `${JSON.stringify(event.streamType)},${JSON.stringify(event.id)},${rewrite.schemaVersion},` +
    `${event.occurredAt.getTime()},${rewrite.dataJson},${rewrite.metadataJson}]`
  );
}

function assertOneSlot(rewrites: PreparedRewrite[], eventKeys: string[]): void {
  const slot = keySlot(eventKeys[0]!);
  const other = eventKeys.findIndex((key) => keySlot(key) !== slot);
  if (other === -1) return;
  throw new UnsupportedOperationError(
    STORE_NAME,
    'rewriteEvents',
    `a Redis Cluster runs one script on one hash slot, and streams "${rewrites[0]!.streamId}" and ` +
      `"${rewrites[other]!.streamId}" are in different slots, so the batch could not be atomic; nothing was ` +
      "written. Send one batch per stream (a stream's keys share a slot), or use rewriteEvent.",
  );
}
