import { type RecordedEvent, ValidationError } from '@strata/core';

/** The columns every read selects, in the order `toRecordedEvent` decodes them. */
export const EVENT_COLUMNS =
  'position, stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';

/** One row of `EVENT_COLUMNS`, as mysql2 returns it with `rowsAsArray`. */
export type EventRow = unknown[];

/**
 * Rows come back as arrays (cheaper than objects) and times as BIGINT milliseconds (cheaper than
 * DATETIME parsing). BIGINT columns arrive as numbers or strings depending on the pool's
 * `supportBigNumbers` settings, so both are accepted.
 */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row[3] as string,
    streamId: row[1] as string,
    streamType: row[4] as string,
    type: row[5] as string,
    data: JSON.parse(row[6] as string),
    metadata: JSON.parse(row[7] as string),
    schemaVersion: Number(row[8]),
    version: Number(row[2]),
    position: toBigInt(row[0]),
    occurredAt: new Date(Number(row[9])),
    recordedAt: new Date(Number(row[10])),
  };
}

export function toBigInt(value: unknown): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    // mysql2 rounded a BIGINT past 2^53 into a double: refuse it rather than return a wrong
    // position (in an append this rolls the transaction back).
    throw new ValidationError(
      'options.connection',
      'the pool must be created with supportBigNumbers: true, or positions past 2^53 come back rounded',
    );
  }
  return typeof value === 'bigint' ? value : BigInt(value as string | number);
}

/**
 * The position `LAST_INSERT_ID(expr)` handed back in an OK packet. mysql2 reads that value as a
 * signed 64-bit integer, so a position past 2^63 - 1 (one the store then refuses) arrives negative.
 */
export function positionOfInsertId(insertId: number | string): bigint {
  const value = toBigInt(insertId);
  return value < 0n ? value + 2n ** 64n : value;
}
