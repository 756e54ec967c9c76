import { randomBytes } from 'node:crypto';
import { appendBatchProcedure } from './mysql-append-batch-procedure.js';
import { appendSingleProcedure } from './mysql-append-single-procedure.js';
import { procedureTypes } from './mysql-procedure-types.js';
import type { MysqlTableNames } from './mysql-table-names.js';
import { TYPE_INDEX } from './mysql-type-index.js';

export interface MysqlSchemaContext {
  tables: MysqlTableNames;
  /** `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL (see `detectServer`). */
  idCollation: string;
  /** Which server the statements run on (see `detectServer`). */
  flavor: 'mariadb' | 'mysql';
  /** Partition count asked for (when the events table is created), or undefined for a plain table. */
  partitions: number | undefined;
  /** Whether the events table exists and is partitioned (read before each migration). */
  partitionedNow: boolean;
  /** Whether the caller keeps the `(event_type, position)` index (`typeIndex: true`). */
  keepTypeIndex: boolean;
}

/** One schema change. Versions only ever grow; a released migration is never edited. */
export interface MysqlMigration {
  version: number;
  name: string;
  /**
   * DDL commits implicitly in MySQL, so a migration is a list of statements that are each safe to
   * run again (`IF NOT EXISTS`): a migration cut off half-way is finished by the next `migrate()`.
   */
  statements(context: MysqlSchemaContext): string[];
  /**
   * The store works without it (it checks at open): if the server refuses it (no CREATE ROUTINE
   * privilege, a stricter server), the migration is recorded as skipped instead of failing.
   */
  optional?: boolean;
  /**
   * Stored procedures to (re)create before `statements`, which the store works without: if the
   * server refuses them, the refusal is recorded as `optional` would record it, and `statements`
   * still run.
   */
  routines?(context: MysqlSchemaContext): string[];
}

const TABLE_OPTIONS = (collation: string) => `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`;

export const MYSQL_MIGRATIONS: readonly MysqlMigration[] = [
  {
    version: 1,
    name: 'initial-schema',
    statements: ({ tables: t, idCollation, partitions }) => {
      const partitioned = partitions !== undefined;
      return [
        // The one row that hands out global positions. Appends lock it as their last step before
        // COMMIT, so positions are taken in commit order (see docs/global-ordering.md).
        `CREATE TABLE IF NOT EXISTS ${t.sequence} (
          id TINYINT UNSIGNED NOT NULL,
          position BIGINT UNSIGNED NOT NULL,
          PRIMARY KEY (id)
        ) ${TABLE_OPTIONS(idCollation)}`,
        `INSERT IGNORE INTO ${t.sequence} (id, position) VALUES (1, 0)`,
        // One row per stream: the version check is one primary-key statement.
        `CREATE TABLE IF NOT EXISTS ${t.streams} (
          stream_id VARCHAR(255) NOT NULL,
          stream_type VARCHAR(255) NOT NULL,
          version BIGINT UNSIGNED NOT NULL,
          PRIMARY KEY (stream_id)
        ) ${TABLE_OPTIONS(idCollation)}`,
        // A partitioned table's unique keys must all contain the partition column, so the
        // partitioned layout keys rows by (position, stream_id) and keeps event ids unique in
        // their own table; positions stay unique because only the sequence row hands them out.
        `CREATE TABLE IF NOT EXISTS ${t.events} (
          position BIGINT UNSIGNED NOT NULL,
          stream_id VARCHAR(255) NOT NULL,
          version BIGINT UNSIGNED NOT NULL,
          event_id VARCHAR(255) NOT NULL,
          stream_type VARCHAR(255) NOT NULL,
          event_type VARCHAR(255) NOT NULL,
          data LONGTEXT NOT NULL,
          metadata LONGTEXT NOT NULL,
          schema_version BIGINT UNSIGNED NOT NULL,
          occurred_at BIGINT NOT NULL,
          recorded_at BIGINT NOT NULL,
          PRIMARY KEY (${partitioned ? 'position, stream_id' : 'position'}),
          UNIQUE KEY stream_version (stream_id, version),
          ${partitioned ? '' : 'UNIQUE KEY event_id (event_id),'}
          KEY type_position (event_type, position)
        ) ${TABLE_OPTIONS(idCollation)}${partitioned ? ` PARTITION BY KEY (stream_id) PARTITIONS ${partitions}` : ''}`,
        ...(partitioned
          ? [
              `CREATE TABLE IF NOT EXISTS ${t.eventIds} (
                event_id VARCHAR(255) NOT NULL,
                stream_id VARCHAR(255) NOT NULL,
                version BIGINT UNSIGNED NOT NULL,
                PRIMARY KEY (event_id)
              ) ${TABLE_OPTIONS(idCollation)}`,
            ]
          : []),
        `CREATE TABLE IF NOT EXISTS ${t.snapshots} (
          stream_id VARCHAR(255) NOT NULL,
          version BIGINT UNSIGNED NOT NULL,
          state_version BIGINT UNSIGNED NOT NULL,
          state LONGTEXT NOT NULL,
          created_at BIGINT NOT NULL,
          PRIMARY KEY (stream_id, version)
        ) ${TABLE_OPTIONS(idCollation)}`,
        `CREATE TABLE IF NOT EXISTS ${t.checkpoints} (
          name VARCHAR(255) NOT NULL,
          position BIGINT UNSIGNED NOT NULL,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (name)
        ) ${TABLE_OPTIONS(idCollation)}`,
      ];
    },
  },
  {
    version: 2,
    name: 'append-one-procedure',
    optional: true,
    statements: (context) => [
      `DROP PROCEDURE IF EXISTS ${context.tables.appendOne}`,
      appendOneProcedure(context),
    ],
  },
  {
    version: 3,
    name: 'storage-id',
    // One row: the storage's id, so every store over these tables (any process, any reopen)
    // reports the same storageId() and other tables another. Made here rather than by the server
    // (UUID() is unsafe for statement-based replication); INSERT IGNORE keeps the first on a rerun.
    statements: ({ tables: t }) => [
      `CREATE TABLE IF NOT EXISTS ${t.storage} (
        one TINYINT NOT NULL PRIMARY KEY CHECK (one = 1),
        id VARCHAR(64) NOT NULL
      ) ${TABLE_OPTIONS('utf8mb4_bin')}`,
      `INSERT IGNORE INTO ${t.storage} (one, id) VALUES (1, '${randomBytes(16).toString('hex')}')`,
    ],
  },
  {
    version: 4,
    name: 'checkpoint-fences',
    // The highest lease fencing token that wrote each checkpoint; NULL until a fenced save. MySQL
    // has no ADD COLUMN IF NOT EXISTS: the statement is built only while the column is missing.
    statements: ({ tables: t }) => [
      `SET @strata_add_fence = IF(
        (SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE()
          AND table_name = '${t.prefix}checkpoints' AND column_name = 'fence') = 0,
        'ALTER TABLE ${t.checkpoints} ADD COLUMN fence BIGINT UNSIGNED NULL',
        'DO 0')`,
      'PREPARE strata_add_fence FROM @strata_add_fence',
      'EXECUTE strata_add_fence',
      'DEALLOCATE PREPARE strata_add_fence',
    ],
  },
  {
    version: 5,
    name: 'dead-letters',
    // One row per (projector, position): adding a letter again replaces it. Error texts hold up to
    // 16,384 characters, more than TEXT's 64 KiB in utf8mb4.
    statements: ({ tables: t, idCollation }) => [
      `CREATE TABLE IF NOT EXISTS ${t.deadLetters} (
        projector VARCHAR(255) NOT NULL,
        position BIGINT UNSIGNED NOT NULL,
        event_id VARCHAR(255) NOT NULL,
        stream_id VARCHAR(255) NOT NULL,
        version BIGINT UNSIGNED NOT NULL,
        event_type VARCHAR(255) NOT NULL,
        error_name MEDIUMTEXT NOT NULL,
        error_message MEDIUMTEXT NOT NULL,
        error_stack MEDIUMTEXT NULL,
        attempts INT UNSIGNED NOT NULL,
        failed_at BIGINT NOT NULL,
        PRIMARY KEY (projector, position)
      ) ${TABLE_OPTIONS(idCollation)}`,
    ],
  },
  {
    version: 6,
    name: 'lease-fences',
    // One row per lease name: the fence of its last acquisition, bumped under the lease's GET_LOCK.
    statements: ({ tables: t, idCollation }) => [
      `CREATE TABLE IF NOT EXISTS ${t.leaseFences} (
        name VARCHAR(255) NOT NULL PRIMARY KEY,
        fence BIGINT UNSIGNED NOT NULL
      ) ${TABLE_OPTIONS(idCollation)}`,
    ],
  },
  {
    version: 7,
    name: 'data-keys',
    // One row per (subject, version): a create never replaces a stored key. The binary id
    // collation keeps subjects that differ in case or trailing spaces apart.
    statements: ({ tables: t, idCollation }) => [
      `CREATE TABLE IF NOT EXISTS ${t.dataKeys} (
        subject_id VARCHAR(255) NOT NULL,
        version BIGINT UNSIGNED NOT NULL,
        key_id VARCHAR(255) NOT NULL,
        master_key_id VARCHAR(255) NOT NULL,
        wrapped_key VARCHAR(4096) NOT NULL,
        PRIMARY KEY (subject_id, version)
      ) ${TABLE_OPTIONS(idCollation)}`,
    ],
  },
  {
    version: 8,
    name: 'append-single-procedure',
    // Optional like migration 2: without it (or on tables made before it) single appends take the
    // append_one procedure or the client-side statements. append_one stays for processes that still
    // call it during an upgrade.
    optional: true,
    statements: (context) => [
      `DROP PROCEDURE IF EXISTS ${context.tables.appendSingle}`,
      appendSingleProcedure(context),
    ],
  },
  {
    version: 9,
    name: 'append-batch-procedure',
    // Optional too: without it an append of several events takes three round trips instead of one.
    // Created on MariaDB only: its JSON_TABLE use is tested there; the store's MySQL 8 support is
    // not run in CI, so MySQL keeps the statements it has always used.
    optional: true,
    statements: (context) => [
      `DROP PROCEDURE IF EXISTS ${context.tables.appendBatch}`,
      ...(context.flavor === 'mariadb' ? [appendBatchProcedure(context)] : []),
    ],
  },
  {
    version: 10,
    name: 'append-advancing-procedures',
    // append_single and append_batch, each with hooks' checkpoint moves folded in (one round trip
    // fewer per realtime append). New names: processes of the previous version keep calling the
    // old procedures during an upgrade, and appends without such a hook do too. Optional, and
    // MariaDB only, as migration 9: the JSON functions they use are tested there.
    optional: true,
    statements: (context) => [
      `DROP PROCEDURE IF EXISTS ${context.tables.appendSingleAdvancing}`,
      `DROP PROCEDURE IF EXISTS ${context.tables.appendBatchAdvancing}`,
      ...(context.flavor === 'mariadb'
        ? [appendSingleProcedure(context, true), appendBatchProcedure(context, true)]
        : []),
    ],
  },
  {
    version: 11,
    name: 'drop-type-index',
    // The (event_type, position) index cost every append an index entry for the type-filtered
    // reads only; they now walk the primary key without it, and the store creates it again for
    // whoever asks (`typeIndex: true`), so a migration run for such a store keeps it rather than
    // dropping what it would then rebuild. DROP INDEX removes an InnoDB secondary index in place:
    // no row is rewritten. The advancing procedures' checkpoint lookups (migration 10) were
    // `MAX(position)` per type, one index step with the index but a locking scan of every row
    // below the append without it: they are recreated first with lookups bounded by the
    // checkpoint (mysql-checkpoint-advance-block.ts), so no moment has the old ones without the index.
    routines: (context) => [
      `DROP PROCEDURE IF EXISTS ${context.tables.appendSingleAdvancing}`,
      `DROP PROCEDURE IF EXISTS ${context.tables.appendBatchAdvancing}`,
      ...(context.flavor === 'mariadb'
        ? [appendSingleProcedure(context, true), appendBatchProcedure(context, true)]
        : []),
    ],
    // MySQL 8 has no DROP INDEX IF EXISTS: the statement is built only while the index is there.
    statements: ({ tables: t, keepTypeIndex }) =>
      keepTypeIndex
        ? []
        : [
            `SET @strata_drop_type_index = IF(
              (SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE()
                AND table_name = '${t.prefix}events' AND index_name = '${TYPE_INDEX}') > 0,
              'DROP INDEX ${TYPE_INDEX} ON ${t.events}',
              'DO 0')`,
            'PREPARE strata_drop_type_index FROM @strata_drop_type_index',
            'EXECUTE strata_drop_type_index',
            'DEALLOCATE PREPARE strata_drop_type_index',
          ],
  },
];

/**
 * A single-event append with a numeric expected version in one round trip (then COMMIT): check and
 * bump the stream, take the position (the sequence row: the last lock), insert. Same statements as
 * the client-side path (mysql-append-plan.ts, mysql-event-insert.ts), run server-side. It does not
 * commit: hooks still run before COMMIT. Returns one row: (position, stream_type, NULL) when
 * written, (NULL, NULL, actual version) when the expected version did not hold.
 */
function appendOneProcedure({ tables: t, idCollation, partitionedNow }: MysqlSchemaContext): string {
  const { id, text } = procedureTypes(idCollation);
  return `CREATE PROCEDURE ${t.appendOne} (
      IN p_stream_id ${id}, IN p_expected BIGINT UNSIGNED, IN p_event_id ${id}, IN p_event_type ${id},
      IN p_data ${text}, IN p_metadata ${text}, IN p_schema_version BIGINT UNSIGNED,
      IN p_occurred_at BIGINT, IN p_recorded_at BIGINT)
    MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_type ${id};
      DECLARE v_version BIGINT UNSIGNED DEFAULT 0;
      UPDATE ${t.streams} s, ${t.sequence} q
        SET s.version = s.version + 1, q.position = LAST_INSERT_ID(q.position + 1)
        WHERE q.id = 1 AND s.stream_id = p_stream_id AND s.version = p_expected;
      IF ROW_COUNT() > 0 THEN
        SELECT stream_type INTO v_type FROM ${t.streams} WHERE stream_id = p_stream_id;
        ${
          partitionedNow
            ? `INSERT INTO ${t.eventIds} (event_id, stream_id, version) VALUES (p_event_id, p_stream_id, p_expected + 1);`
            : ''
        }
        INSERT INTO ${t.events} (position, stream_id, version, event_id, stream_type, event_type, data, metadata,
            schema_version, occurred_at, recorded_at)
          VALUES (LAST_INSERT_ID(), p_stream_id, p_expected + 1, p_event_id, v_type, p_event_type, p_data,
            p_metadata, p_schema_version, p_occurred_at, p_recorded_at);
        SELECT LAST_INSERT_ID(), v_type, NULL;
      ELSE
        SELECT version INTO v_version FROM ${t.streams} WHERE stream_id = p_stream_id FOR UPDATE;
        SELECT NULL, NULL, v_version;
      END IF;
    END`;
}

export const LATEST_MIGRATION = MYSQL_MIGRATIONS[MYSQL_MIGRATIONS.length - 1]?.version ?? 0;
