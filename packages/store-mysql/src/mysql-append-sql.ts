import { placeholders } from './in-list.js';
import type { MysqlTableNames } from './mysql-table-names.js';

/** Columns of one events row, in the order `eventRowParams` binds them. */
const EVENT_INSERT_COLUMNS =
  'position, stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';
const EVENT_ROW = `(${placeholders(11)})`;

/**
 * The statements of an append transaction. `LAST_INSERT_ID(expr)` makes an UPDATE hand back the
 * value it wrote (mysql2's `insertId`), so bumping a version or taking positions needs no
 * separate SELECT on either server. The count added to a position is cast to an integer: mysql2
 * sends a JS number as a DOUBLE, and `position + DOUBLE` is rounded past 2^53. The sequence column
 * is BIGINT UNSIGNED, so a position past 2^63 - 1 can be taken without overflow and then refused
 * (`assertPositionAvailable`) before COMMIT.
 */
export class MysqlAppendSql {
  /** Params: count, count, streamId, expectedVersion. The stream's check and the positions in one statement. */
  readonly bumpVersionAndTakePositions: string;
  /** Params: count, streamId. `insertId` is the new version. */
  readonly bumpExistingVersion: string;
  /** Params: streamId, streamType, version. Fails with a duplicate key when the stream exists. */
  readonly createStream: string;
  /** Params: streamId, streamType, count, count. Inserted (1 row) or bumped (`insertId` = new version). */
  readonly createOrBumpStream: string;
  /** Params: streamId. The current version, read under a lock so that it is the latest committed one. */
  readonly lockedVersion: string;
  /** Params: count. `insertId` is the last position taken. */
  readonly takePositions: string;

  /**
   * Params: streamId, expectedVersion, eventId, eventType, data, metadata, schemaVersion,
   * occurredAt, recordedAt. The whole single-event append in one round trip; undefined when the
   * procedure is missing (migration 2 skipped).
   */
  readonly appendOne: string | undefined;

  /**
   * Params: streamId, streamType, expectedVersion (0 for a new stream), eventId, eventType, data,
   * metadata, schemaVersion, occurredAt, recordedAt, commit. The whole single-event append, COMMIT
   * included when asked, in one round trip; undefined when the procedure is missing (migration 8
   * skipped).
   */
  readonly appendSingle: string | undefined;

  /**
   * Params: streamId, streamType, expectedVersion (0 for a new stream), event count, the events
   * packed by `packBatchEvents`, recordedAt, commit. An append of 2 to `BATCH_PROCEDURE_MAX_EVENTS`
   * events, COMMIT included when asked, in one round trip; undefined when the procedure is missing
   * (migration 9 skipped).
   */
  readonly appendBatch: string | undefined;

  /**
   * `appendSingle`'s and `appendBatch`'s parameters, then the checkpoints hooks asked to move (see
   * `mysql-checkpoint-advance-block.ts`); their result row has one more column, which moved.
   * Undefined when the procedures are missing (migration 10 skipped, or MySQL).
   */
  readonly appendSingleAdvancing: string | undefined;
  readonly appendBatchAdvancing: string | undefined;

  private readonly shapes = new Map<string, string>();

  constructor(
    private readonly tables: MysqlTableNames,
    private readonly partitioned: boolean,
    procedures: {
      appendOneProcedure: boolean;
      appendSingleProcedure: boolean;
      appendBatchProcedure: boolean;
      appendSingleAdvancingProcedure?: boolean;
      appendBatchAdvancingProcedure?: boolean;
    } = {
      appendOneProcedure: false,
      appendSingleProcedure: false,
      appendBatchProcedure: false,
    },
  ) {
    this.appendOne = procedures.appendOneProcedure
      ? `CALL ${tables.appendOne}(?, ?, ?, ?, ?, ?, ?, ?, ?)`
      : undefined;
    this.appendSingle = procedures.appendSingleProcedure
      ? `CALL ${tables.appendSingle}(${placeholders(11)})`
      : undefined;
    this.appendBatch = procedures.appendBatchProcedure
      ? `CALL ${tables.appendBatch}(${placeholders(7)})`
      : undefined;
    this.appendSingleAdvancing = procedures.appendSingleAdvancingProcedure
      ? `CALL ${tables.appendSingleAdvancing}(${placeholders(12)})`
      : undefined;
    this.appendBatchAdvancing = procedures.appendBatchAdvancingProcedure
      ? `CALL ${tables.appendBatchAdvancing}(${placeholders(8)})`
      : undefined;
    const { streams, sequence } = tables;
    this.bumpVersionAndTakePositions = `UPDATE ${streams} s, ${sequence} q
      SET s.version = s.version + ?, q.position = LAST_INSERT_ID(q.position + CAST(? AS UNSIGNED))
      WHERE q.id = 1 AND s.stream_id = ? AND s.version = ?`;
    this.bumpExistingVersion = `UPDATE ${streams} SET version = LAST_INSERT_ID(version + ?) WHERE stream_id = ?`;
    this.createStream = `INSERT INTO ${streams} (stream_id, stream_type, version) VALUES (?, ?, ?)`;
    this.createOrBumpStream = `INSERT INTO ${streams} (stream_id, stream_type, version) VALUES (?, ?, ?)
      ON DUPLICATE KEY UPDATE version = LAST_INSERT_ID(version + ?)`;
    this.lockedVersion = `SELECT version FROM ${streams} WHERE stream_id = ? FOR UPDATE`;
    this.takePositions = `UPDATE ${sequence} SET position = LAST_INSERT_ID(position + CAST(? AS UNSIGNED)) WHERE id = 1`;
  }

  /** Params: `count` stream ids. Rows: [stream_id, version, stream_type], locked until COMMIT. */
  lockStreams(count: number): string {
    return this.shape(`lock:${count}`, () => {
      return `SELECT stream_id, version, stream_type FROM ${this.tables.streams}
        WHERE stream_id IN (${placeholders(count)}) FOR UPDATE`;
    });
  }

  /** Params: `count` (streamId, version) pairs, then the `count` stream ids. */
  setVersions(count: number): string {
    return this.shape(`set:${count}`, () => {
      return `UPDATE ${this.tables.streams} SET version = CASE stream_id ${'WHEN ? THEN ? '.repeat(count)}END
        WHERE stream_id IN (${placeholders(count)})`;
    });
  }

  /** Params: 11 per row (see `EVENT_INSERT_COLUMNS`). */
  insertEvents(rows: number): string {
    return this.shape(`events:${rows}`, () => {
      return `INSERT INTO ${this.tables.events} (${EVENT_INSERT_COLUMNS}) VALUES ${Array(rows).fill(EVENT_ROW).join(', ')}`;
    });
  }

  /** Params: event_id, stream_id, version per row. Partitioned layout only. */
  insertEventIds(rows: number): string {
    return this.shape(`ids:${rows}`, () => {
      return `INSERT INTO ${this.tables.eventIds} (event_id, stream_id, version) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`;
    });
  }

  /** Params: `count` event ids. Rows: [event_id, stream_id, version, position]. */
  findEvents(count: number): string {
    return this.shape(`find:${count}`, () => {
      const { events, eventIds } = this.tables;
      return this.partitioned
        ? `SELECT i.event_id, i.stream_id, i.version, e.position FROM ${eventIds} i
            JOIN ${events} e ON e.stream_id = i.stream_id AND e.version = i.version
            WHERE i.event_id IN (${placeholders(count)})`
        : `SELECT event_id, stream_id, version, position FROM ${events} WHERE event_id IN (${placeholders(count)})`;
    });
  }

  private shape(key: string, build: () => string): string {
    let sql = this.shapes.get(key);
    if (sql === undefined) {
      sql = build();
      this.shapes.set(key, sql);
    }
    return sql;
  }
}
