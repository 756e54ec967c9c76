import { StoreUnavailableError, ValidationError } from '@strata/core';
import type { MysqlQueryable } from './mysql-driver.js';
import { STORE_NAME } from './mysql-errors.js';
import type { MysqlTableNames } from './mysql-table-names.js';
import { typeIndexCountSql } from './mysql-type-index.js';

/** How the events table was created: it decides where event ids are kept unique. */
export interface MysqlTableLayout {
  /** Partition count of the events table; 0 when it is a plain table. */
  partitions: number;
  /** Whether the single-event append procedure exists (migration 2 may have been skipped). */
  appendOneProcedure: boolean;
  /** Whether its successor, which also creates streams and can commit, exists (migration 8 is optional too). */
  appendSingleProcedure: boolean;
  /** Whether the several-event procedure exists (migration 9, optional). */
  appendBatchProcedure: boolean;
  /** Whether the procedures that also move hooks' checkpoints exist (migration 10, optional, MariaDB). */
  appendSingleAdvancingProcedure: boolean;
  appendBatchAdvancingProcedure: boolean;
  /** The server's `max_allowed_packet`: no statement, so no event, can be larger. */
  maxAllowedPacket: number;
  /**
   * Whether the events table has the `(event_type, position)` index when the store opens (made
   * for `typeIndex: true`, or kept from before migration 11): it decides the type-filtered SQL.
   */
  typeIndex: boolean;
}

export function assertPartitions(value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(
      'options.partitions',
      `must be an integer between ${min} and ${max} (got ${String(value)})`,
    );
  }
}

/**
 * Reads how the events table is partitioned and how large a packet the server takes, and refuses a store opened with a different count
 * (partitioning is chosen when the tables are created) or over tables that do not exist yet.
 */
export async function readTableLayout(
  db: MysqlQueryable,
  tables: MysqlTableNames,
  requested: number | undefined,
): Promise<MysqlTableLayout> {
  const table = `${tables.prefix}events`;
  const [rows] = await db.execute(
    {
      sql: `SELECT
          (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?),
          (SELECT COUNT(*) FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL),
          (SELECT COUNT(*) FROM information_schema.ROUTINES
            WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'),
          @@max_allowed_packet,
          (SELECT COUNT(*) FROM information_schema.ROUTINES
            WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'),
          (SELECT COUNT(*) FROM information_schema.ROUTINES
            WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'),
          (SELECT COUNT(*) FROM information_schema.ROUTINES
            WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'),
          (SELECT COUNT(*) FROM information_schema.ROUTINES
            WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'),
          ${typeIndexCountSql()}`,
      rowsAsArray: true,
    },
    [
      table,
      table,
      `${tables.prefix}append_one`,
      `${tables.prefix}append_single`,
      `${tables.prefix}append_batch`,
      `${tables.prefix}append_single_advancing`,
      `${tables.prefix}append_batch_advancing`,
      table,
    ],
  );
  const row = (rows as unknown[][])[0] ?? [];
  if (Number(row[0] ?? 0) === 0) {
    throw new StoreUnavailableError(
      STORE_NAME,
      new Error(`table ${tables.events} does not exist: run migrate() or open the store with migrate: true`),
    );
  }
  const partitions = Number(row[1] ?? 0);
  if (requested !== undefined && requested !== partitions) {
    throw new ValidationError(
      'options.partitions',
      `the events table ${tables.events} has ${partitions === 0 ? 'no partitions' : `${partitions} partitions`}, ` +
        `not ${requested}: partitioning is chosen when the tables are created (ALTER TABLE to change it)`,
    );
  }
  return {
    partitions,
    appendOneProcedure: Number(row[2] ?? 0) > 0,
    appendSingleProcedure: Number(row[4] ?? 0) > 0,
    appendBatchProcedure: Number(row[5] ?? 0) > 0,
    appendSingleAdvancingProcedure: Number(row[6] ?? 0) > 0,
    appendBatchAdvancingProcedure: Number(row[7] ?? 0) > 0,
    maxAllowedPacket: Number(row[3]),
    typeIndex: Number(row[8] ?? 0) > 0,
  };
}

/** Partition count of the events table (0 for a plain or missing table). */
export async function readPartitionCount(db: MysqlQueryable, tables: MysqlTableNames): Promise<number> {
  const [rows] = await db.execute(
    {
      sql: `SELECT COUNT(*) FROM information_schema.PARTITIONS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL`,
      rowsAsArray: true,
    },
    [`${tables.prefix}events`],
  );
  return Number((rows as unknown[][])[0]?.[0] ?? 0);
}
