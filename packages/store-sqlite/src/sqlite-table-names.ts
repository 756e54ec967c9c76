import { ValidationError } from '@strata/core';

const TABLE_PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

export const DEFAULT_TABLE_PREFIX = 'strata_';

/** The store's tables, already quoted for SQL. */
export interface SqliteTableNames {
  events: string;
  /** Dropped by migration 6; named for the migrations that create, read and drop it. */
  streams: string;
  /** One row: the highest position whose event was deleted (0 when none). */
  positionFloor: string;
  /** Version and stream type of each stream whose newest events were deleted. */
  deletedHeads: string;
  snapshots: string;
  checkpoints: string;
  /** Projectors' dead letters. */
  deadLetters: string;
  /** Wrapped data keys per subject. */
  dataKeys: string;
  migrations: string;
  /** One row: the storage's id. */
  storage: string;
  /** Prefix for index names. */
  prefix: string;
}

/**
 * Table names are spliced into SQL (they cannot be bound), so the prefix is checked against a
 * strict pattern before it gets anywhere near a statement.
 */
export function tableNames(tablePrefix: string = DEFAULT_TABLE_PREFIX): SqliteTableNames {
  if (typeof tablePrefix !== 'string' || !TABLE_PREFIX.test(tablePrefix)) {
    throw new ValidationError(
      'options.tablePrefix',
      `must match ${TABLE_PREFIX} (a letter or _, then up to 30 letters, digits or _); got ${typeof tablePrefix === 'string' ? JSON.stringify(tablePrefix) : String(tablePrefix)}`,
    );
  }
  return {
    events: `"${tablePrefix}events"`,
    streams: `"${tablePrefix}streams"`,
    positionFloor: `"${tablePrefix}position_floor"`,
    deletedHeads: `"${tablePrefix}deleted_heads"`,
    snapshots: `"${tablePrefix}snapshots"`,
    checkpoints: `"${tablePrefix}checkpoints"`,
    deadLetters: `"${tablePrefix}dead_letters"`,
    dataKeys: `"${tablePrefix}data_keys"`,
    migrations: `"${tablePrefix}migrations"`,
    storage: `"${tablePrefix}storage"`,
    prefix: tablePrefix,
  };
}
