import { chunks } from './in-list.js';
import { duplicateAware } from './mysql-append-outcome.js';
import type { PlannedAppend, StreamState, TransactionStatements } from './mysql-append-plan.js';
import type { MysqlAppendSql } from './mysql-append-sql.js';
import type { MysqlValue } from './mysql-driver.js';

/** Rows per INSERT statement: bounds the number of statement shapes mysql2 prepares. */
const MAX_ROWS_PER_INSERT = 128;
/** Estimated bytes per INSERT statement, well under MariaDB's default 16 MB max_allowed_packet. */
const MAX_BYTES_PER_INSERT = 4 * 1024 * 1024;

/** Gives each planned append its positions, consecutive in group order from `firstPosition`. */
export function assignPositions(planned: readonly PlannedAppend[], firstPosition: bigint): void {
  let next = firstPosition;
  for (const plan of planned) {
    plan.firstPosition = next;
    next += BigInt(plan.append.events.length);
    plan.lastPosition = next - 1n;
  }
}

/**
 * Multi-row INSERTs of every planned event; a duplicate key (an event id already stored) aborts
 * the group. Rows are bound as they are built: this loop is the hot path of batch appends.
 */
export async function insertEvents(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  planned: readonly PlannedAppend[],
  streams: ReadonlyMap<string, StreamState>,
  recordedAt: number,
): Promise<void> {
  let values: MysqlValue[] = [];
  let rows = 0;
  let bytes = 0;
  const flush = async () => {
    await duplicateAware(tx.run(sql.insertEvents(rows), values));
    values = [];
    rows = 0;
    bytes = 0;
  };
  for (const plan of planned) {
    const { streamId, events } = plan.append;
    const streamType = streams.get(streamId)?.type ?? plan.append.streamType;
    // Positions stay far below 2^53 in practice; BigInt only where they might not.
    const safe = plan.lastPosition <= BigInt(Number.MAX_SAFE_INTEGER);
    const first = Number(plan.firstPosition);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      // UTF-16 length × 3 bounds the UTF-8 size; the ids and names add at most ~4 KB.
      const size = (event.dataJson.length + event.metadataJson.length) * 3 + 4096;
      if (rows > 0 && (rows >= MAX_ROWS_PER_INSERT || bytes + size > MAX_BYTES_PER_INSERT)) await flush();
      values.push(
        safe ? String(first + i) : (plan.firstPosition + BigInt(i)).toString(),
        streamId,
        plan.firstVersion + i,
        event.id,
        streamType,
        event.type,
        event.dataJson,
        event.metadataJson,
        event.schemaVersion,
        event.occurredAt.getTime(),
        recordedAt,
      );
      rows++;
      bytes += size;
    }
  }
  if (rows > 0) await flush();
}

/** Partitioned layout: claims the event ids in their own table, before the position lock. */
export async function insertEventIds(
  tx: TransactionStatements,
  sql: MysqlAppendSql,
  planned: readonly PlannedAppend[],
): Promise<void> {
  const ids = planned.flatMap((p) =>
    p.append.events.map((event, i): MysqlValue[] => [event.id, p.append.streamId, p.firstVersion + i]),
  );
  for (const chunk of chunks(ids, MAX_ROWS_PER_INSERT)) {
    await duplicateAware(tx.run(sql.insertEventIds(chunk.length), chunk.flat()));
  }
}
