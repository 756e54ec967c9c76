import type { SqliteTableNames } from './sqlite-table-names.js';

/** One schema change. Versions only ever grow; a released migration is never edited. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql(tables: SqliteTableNames): string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial-schema',
    sql: (t) => `
      -- AUTOINCREMENT, not a plain rowid: archival deletes old rows, and a reader's checkpoint must
      -- never see a position handed out twice.
      CREATE TABLE ${t.events} (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        stream_type TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        UNIQUE (stream_id, version)
      ) STRICT;
      CREATE INDEX "${t.prefix}events_type_position" ON ${t.events} (event_type, position);

      -- One row per stream: the version check reads one key, and the version survives archival
      -- of the stream's events.
      CREATE TABLE ${t.streams} (
        stream_id TEXT NOT NULL PRIMARY KEY,
        stream_type TEXT NOT NULL,
        version INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE ${t.snapshots} (
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        state_version INTEGER NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (stream_id, version)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE ${t.checkpoints} (
        name TEXT NOT NULL PRIMARY KEY,
        position INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'storage-id',
    sql: (t) => `
      -- One row: the storage's id, made once here, so every store over this database (any
      -- process, any reopen) reports the same storageId() and another database another.
      CREATE TABLE ${t.storage} (
        one INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
        id TEXT NOT NULL
      ) STRICT;
      INSERT INTO ${t.storage} (one, id) VALUES (1, lower(hex(randomblob(16))));
    `,
  },
  {
    version: 3,
    name: 'checkpoint-fences',
    // The highest lease fencing token that wrote each checkpoint; NULL until a fenced save.
    sql: (t) => `ALTER TABLE ${t.checkpoints} ADD COLUMN fence INTEGER;`,
  },
  {
    version: 4,
    name: 'dead-letters',
    // One row per (projector, position): adding a letter again replaces it.
    sql: (t) => `
      CREATE TABLE ${t.deadLetters} (
        projector TEXT NOT NULL,
        position INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        error_name TEXT NOT NULL,
        error_message TEXT NOT NULL,
        error_stack TEXT,
        attempts INTEGER NOT NULL,
        failed_at INTEGER NOT NULL,
        PRIMARY KEY (projector, position)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'data-keys',
    // One row per (subject, version): a create never replaces a stored key.
    sql: (t) => `
      CREATE TABLE ${t.dataKeys} (
        subject_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        master_key_id TEXT NOT NULL,
        wrapped_key TEXT NOT NULL,
        PRIMARY KEY (subject_id, version)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'lean-append-path',
    // Rebuilds the events table (SQLite cannot drop AUTOINCREMENT in place) and drops the streams
    // table: an append now writes the event rows and their indexes, nothing else. One transaction,
    // so readers see the old layout until it commits; see the README for its cost.
    sql: (t) => `
      CREATE TABLE "${t.prefix}events_next" (
        position INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        stream_type TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO "${t.prefix}events_next"
        SELECT position, id, stream_id, stream_type, event_type, data, metadata, version, schema_version,
               occurred_at, recorded_at
          FROM ${t.events} ORDER BY position;

      -- Positions come from the largest one in the table, so deleting the newest events would hand
      -- theirs out again: this row keeps the highest deleted one (AUTOINCREMENT's counter to start).
      CREATE TABLE ${t.positionFloor} (
        one INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
        position INTEGER NOT NULL
      ) STRICT;
      INSERT INTO ${t.positionFloor} (one, position)
        VALUES (1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${t.prefix}events'), 0));

      -- Versions come from the (stream_id, version) index, so a stream whose newest events were
      -- deleted keeps its version (and type) here, as the streams row kept it.
      CREATE TABLE ${t.deletedHeads} (
        stream_id TEXT NOT NULL PRIMARY KEY,
        stream_type TEXT NOT NULL,
        version INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO ${t.deletedHeads} (stream_id, stream_type, version)
        SELECT s.stream_id, s.stream_type, s.version FROM ${t.streams} s
         WHERE s.version > coalesce((SELECT max(e.version) FROM ${t.events} e WHERE e.stream_id = s.stream_id), 0);

      DROP TABLE ${t.events};
      DROP TABLE ${t.streams};
      ALTER TABLE "${t.prefix}events_next" RENAME TO "${t.prefix}events";
      CREATE UNIQUE INDEX "${t.prefix}events_id" ON ${t.events} (id);
      CREATE UNIQUE INDEX "${t.prefix}events_stream_version" ON ${t.events} (stream_id, version);
      CREATE INDEX "${t.prefix}events_type_position" ON ${t.events} (event_type, position);

      -- Only a delete of a newest event writes anything: archiving old events costs a lookup per row.
      CREATE TRIGGER "${t.prefix}events_deleted" AFTER DELETE ON ${t.events} BEGIN
        UPDATE ${t.positionFloor} SET position = old.position
         WHERE position < old.position
           AND old.position > coalesce((SELECT max(position) FROM ${t.events}), 0);
        INSERT INTO ${t.deletedHeads} (stream_id, stream_type, version)
          SELECT old.stream_id, old.stream_type, old.version
           WHERE old.version > coalesce((SELECT max(version) FROM ${t.events} WHERE stream_id = old.stream_id), 0)
          ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version WHERE excluded.version > version;
      END;
    `,
  },
  {
    version: 7,
    name: 'opt-in-type-index',
    // The (event_type, position) index cost a fourth B-tree page per commit (a 1-event append ran at
    // 0.60x of a minimal store with it, 0.75x without). Type-filtered reads scan positions instead;
    // `typeIndex: true` builds it again for those who read rare types from far back.
    sql: (t) => `DROP INDEX IF EXISTS "${t.prefix}events_type_position";`,
  },
];
