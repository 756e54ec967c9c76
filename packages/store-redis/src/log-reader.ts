import type { NormalizedReadAll, RecordedEvent } from '@strata/core';
import { decodeEvent, decodeEvents, typePrefix } from './event-codec.js';
import type { RedisConnection } from './redis-connection.js';

/** Log entries fetched per round trip when a `types` filter makes the result size unknown. */
const SCAN_CHUNK = 1000;

/** Where each connection's log starts; read once: the start is set before a log's first append. */
const starts = new WeakMap<RedisConnection, bigint>();

export async function logStart(connection: RedisConnection): Promise<bigint> {
  let start = starts.get(connection);
  if (start === undefined) {
    const text = await connection.run((client) => client.get(connection.keys.start));
    start = BigInt(text ?? '0');
    starts.set(connection, start);
  }
  return start;
}

/**
 * The position of the standalone log's last entry: its start plus its length. The append script
 * assigns positions and pushes entries in one atomic step, so every position up to there is in the
 * list, and the next append takes the one after it.
 */
export async function lastLogPosition(connection: RedisConnection): Promise<bigint> {
  const start = await logStart(connection);
  const length = await connection.run((client) => client.llen(connection.keys.log));
  return start + BigInt(length);
}

/**
 * `readAll` on the standalone global log, a list whose index is position - start - 1 (`start`
 * is 0 unless the log was started later, see `RedisKeys.start`): the append script
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
  if (limit === 0 || types?.length === 0) return [];
  // bigint until the index is known to be small: positions may be past 2^53, list indexes are not.
  const skip = after - (await logStart(connection));
  if (skip >= BigInt(Number.MAX_SAFE_INTEGER)) return [];
  const start = skip <= 0n ? 0 : Number(skip);
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
