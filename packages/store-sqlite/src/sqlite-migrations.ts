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
];
