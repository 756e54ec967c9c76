import type { NormalizedReadAll, RecordedEvent } from '@strata/core';
import { decodeEvent, decodeEvents, typePrefix } from './event-codec.js';
import type { RedisConnection } from './redis-connection.js';

/** Log entries fetched per round trip when a `types` filter makes the result size unknown. */
const SCAN_CHUNK = 1000;

/**
 * `readAll` on the standalone global log, a list whose index is position - 1: the append script
 * assigns positions and pushes entries in one atomic step, so the list never has a gap that
 * fills later, and a page is one `LRANGE`. With a `types` filter the log is scanned in chunks and
 * entries are matched on their first field, without parsing the ones that do not match.
 */
export async function readLog(
  connection: RedisConnection,
  options: NormalizedReadAll,
): Promise<RecordedEvent[]> {
  const { after, limit, types } = options;
  const key = connection.keys.log;
  // A list index cannot exceed Number.MAX_SAFE_INTEGER, so neither can a position.
  if (limit === 0 || types?.length === 0 || after >= BigInt(Number.MAX_SAFE_INTEGER)) return [];
  const start = Number(after);
  if (types === undefined) {
    const stop = limit === undefined ? -1 : start + limit - 1;
    const entries = await connection.run((client) => client.lrange(key, start, stop));
    return decodeEvents(entries);
  }

  const prefixes = types.map(typePrefix);
  const max = limit ?? Number.POSITIVE_INFINITY;
  const events: RecordedEvent[] = [];
  for (let from = start; events.length < max; from += SCAN_CHUNK) {
    const entries = await connection.run((client) => client.lrange(key, from, from + SCAN_CHUNK - 1));
    for (const entry of entries) {
      if (events.length < max && prefixes.some((prefix) => entry.startsWith(prefix))) {
        events.push(decodeEvent(entry));
      }
    }
    if (entries.length < SCAN_CHUNK) break;
  }
  return events;
}
