import { ValidationError } from '@strata/core';

const TABLE_PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

export const DEFAULT_TABLE_PREFIX = 'strata_';

/** The store's tables, already quoted for SQL. */
export interface MysqlTableNames {
  events: string;
  /** Holds event ids when `events` is partitioned (a partitioned table's unique keys must include stream_id). */
  eventIds: string;
  streams: string;
  /** The single row that hands out global positions. */
  sequence: string;
  snapshots: string;
  checkpoints: string;
  /** Projectors' dead letters. */
  deadLetters: string;
  /** Wrapped data keys per subject. */
  dataKeys: string;
  /** The last fencing token handed out per lease name. */
  leaseFences: string;
  migrations: string;
  /** One row: the storage's id. */
  storage: string;
  /** The stored procedure behind single-event appends (see mysql-migrations.ts). */
  appendOne: string;
  /** The stored procedure behind single-event appends since migration 8 (see mysql-append-single-procedure.ts). */
  appendSingle: string;
  /** The stored procedure behind single appends of several events since migration 9 (see mysql-append-batch-procedure.ts). */
  appendBatch: string;
  /** `append_single` that also moves hooks' checkpoints, since migration 10 (MariaDB; see mysql-checkpoint-advance-block.ts). */
  appendSingleAdvancing: string;
  /** `append_batch` that also moves hooks' checkpoints, since migration 10 (MariaDB). */
  appendBatchAdvancing: string;
  /** The unquoted prefix, for index names and the migration lock. */
  prefix: string;
}

/**
 * Table names are spliced into SQL (they cannot be bound), so the prefix is checked against a
 * strict pattern before it gets anywhere near a statement.
 */
export function tableNames(tablePrefix: string = DEFAULT_TABLE_PREFIX): MysqlTableNames {
  if (typeof tablePrefix !== 'string' || !TABLE_PREFIX.test(tablePrefix)) {
    throw new ValidationError(
      'options.tablePrefix',
      `must match ${TABLE_PREFIX} (a letter or _, then up to 30 letters, digits or _); got ${typeof tablePrefix === 'string' ? JSON.stringify(tablePrefix) : String(tablePrefix)}`,
    );
  }
  const quote = (name: string) => `\`${tablePrefix}${name}\``;
  return {
    events: quote('events'),
    eventIds: quote('event_ids'),
    streams: quote('streams'),
    sequence: quote('sequence'),
    snapshots: quote('snapshots'),
    checkpoints: quote('checkpoints'),
    deadLetters: quote('dead_letters'),
    dataKeys: quote('data_keys'),
    leaseFences: quote('lease_fences'),
    migrations: quote('migrations'),
    storage: quote('storage'),
    appendOne: quote('append_one'),
    appendSingle: quote('append_single'),
    appendBatch: quote('append_batch'),
    appendSingleAdvancing: quote('append_single_advancing'),
    appendBatchAdvancing: quote('append_batch_advancing'),
    prefix: tablePrefix,
  };
}
