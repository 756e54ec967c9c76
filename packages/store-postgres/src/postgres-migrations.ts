import {
  appendAdvancingFunctionSql,
  lastOfTypesBelowByTypeIndex,
} from './postgres-append-advancing-function.js';
import { appendFunctionSql } from './postgres-append-function.js';
import { lastOfTypesBelowSql } from './postgres-last-of-types.js';
import { positionLockTriggerSql } from './postgres-position-lock.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/** How the events table is laid out; fixed when the schema is first created. */
export interface PostgresLayout {
  /** Number of hash partitions of the events table, or `undefined` for one plain table. */
  partitions: number | undefined;
}

/** One schema change. Versions only ever grow; a released migration is never edited. */
export interface PostgresMigration {
  version: number;
  name: string;
  statements(tables: PostgresTableNames, layout: PostgresLayout): string[];
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'initial-schema',
    statements: (t, layout) => [
      // Positions come from a sequence, but only under the position lock (see the append function).
      `CREATE SEQUENCE ${t.positionSequence} AS bigint`,
      ...eventsTable(t, layout),
      `ALTER SEQUENCE ${t.positionSequence} OWNED BY ${t.events}.position`,
      ...positionLockTriggerSql(t),
      `CREATE INDEX ${t.local('events_type_position')} ON ${t.events} (event_type, position)`,
      // One row per stream: the version check and bump is one statement on one indexed row.
      `CREATE TABLE ${t.streams} (
        stream_id text NOT NULL PRIMARY KEY,
        stream_type text NOT NULL,
        version integer NOT NULL
      )`,
      `CREATE TABLE ${t.snapshots} (
        stream_id text NOT NULL,
        version integer NOT NULL,
        state_version integer NOT NULL,
        state json NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (stream_id, version)
      )`,
      `CREATE TABLE ${t.checkpoints} (
        name text NOT NULL PRIMARY KEY,
        position bigint NOT NULL,
        updated_at bigint NOT NULL
      )`,
      appendFunctionSql(t, layout.partitions !== undefined),
    ],
  },
  {
    version: 2,
    name: 'storage-id',
    // One row: the storage's id, made once here, so every store over these tables (any process,
    // any reopen) reports the same storageId() and other tables another.
    statements: (t) => [
      `CREATE TABLE ${t.storage} (
        one integer NOT NULL PRIMARY KEY CHECK (one = 1),
        id text NOT NULL
      )`,
      // gen_random_uuid() is built in only from PostgreSQL 13; this works on 12 as well.
      `INSERT INTO ${t.storage} (one, id)
        VALUES (1, md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text))`,
    ],
  },
  {
    version: 3,
    name: 'checkpoint-fences',
    // The highest lease fencing token that wrote each checkpoint; NULL until a fenced save.
    statements: (t) => [`ALTER TABLE ${t.checkpoints} ADD COLUMN fence bigint`],
  },
  {
    version: 4,
    name: 'dead-letters',
    // One row per (projector, position): adding a letter again replaces it.
    statements: (t) => [
      `CREATE TABLE ${t.deadLetters} (
        projector text NOT NULL,
        position bigint NOT NULL,
        event_id text NOT NULL,
        stream_id text NOT NULL,
        version integer NOT NULL,
        event_type text NOT NULL,
        error_name text NOT NULL,
        error_message text NOT NULL,
        error_stack text,
        attempts integer NOT NULL,
        failed_at bigint NOT NULL,
        PRIMARY KEY (projector, position)
      )`,
    ],
  },
  {
    version: 5,
    name: 'lease-fences',
    // One row per lease name: the fence of its last acquisition, bumped under the lease's lock.
    statements: (t) => [
      `CREATE TABLE ${t.leaseFences} (
        name text NOT NULL PRIMARY KEY,
        fence bigint NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'data-keys',
    // One row per (subject, version): a create never replaces a stored key. COLLATE "C" gives
    // listKeys one stable byte order whatever the database's default collation.
    statements: (t) => [
      `CREATE TABLE ${t.dataKeys} (
        subject_id text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        key_id text NOT NULL,
        master_key_id text NOT NULL,
        wrapped_key text NOT NULL,
        PRIMARY KEY (subject_id, version)
      )`,
    ],
  },
  {
    version: 7,
    name: 'append-advancing',
    // A new function beside the append function, which stays as it is: processes of the previous
    // version keep calling it during a rolling upgrade, and appends without a checkpoint to move too.
    statements: (t) => [appendAdvancingFunctionSql(t, lastOfTypesBelowByTypeIndex(t))],
  },
  {
    version: 8,
    name: 'type-index-opt-in',
    // The (event_type, position) index cost every append one more index entry; it is now made only
    // for stores opened with `typeIndex: true` (postgres-type-index.ts). No row is rewritten. The
    // append-advancing function (same signature) learns the lookup that works without the index.
    // A partitioned index drops with its partitions' indexes.
    statements: (t) => [
      `DROP INDEX IF EXISTS ${t.typeIndex}`,
      appendAdvancingFunctionSql(t, (types, below) => lastOfTypesBelowSql(t, types, below)),
    ],
  },
];

/**
 * Times are bigint milliseconds since the epoch and payloads are `json` (kept as text, validated):
 * decoding `timestamptz` into `Date` and `jsonb` into text cost more than the query itself, `jsonb`
 * reorders keys and refuses `\u0000`, and the contract promises millisecond precision anyway.
 */
function eventsTable(t: PostgresTableNames, layout: PostgresLayout): string[] {
  const columns = `
        position bigint NOT NULL DEFAULT nextval(${t.positionSequenceLiteral}),
        event_id text NOT NULL,
        stream_id text NOT NULL,
        stream_type text NOT NULL,
        event_type text NOT NULL,
        data json NOT NULL,
        metadata json NOT NULL,
        version integer NOT NULL,
        schema_version integer NOT NULL,
        occurred_at bigint NOT NULL,
        recorded_at bigint NOT NULL`;
  if (layout.partitions === undefined) {
    return [
      `CREATE TABLE ${t.events} (${columns},
        PRIMARY KEY (position),
        UNIQUE (stream_id, version),
        UNIQUE (event_id)
      )`,
    ];
  }
  // A unique constraint on a partitioned table must contain the partition key, so the table can
  // enforce (stream_id, version) but neither a unique position nor a unique event id. Positions are
  // unique by construction (one sequence, used under one lock); event ids get their own table.
  const partitions = Array.from(
    { length: layout.partitions },
    (_, i) =>
      `CREATE TABLE ${t.qualified(`events_p${i}`)} PARTITION OF ${t.events}
        FOR VALUES WITH (MODULUS ${layout.partitions}, REMAINDER ${i})`,
  );
  return [
    `CREATE TABLE ${t.events} (${columns},
        PRIMARY KEY (stream_id, version)
      ) PARTITION BY HASH (stream_id)`,
    ...partitions,
    `CREATE INDEX ${t.local('events_position')} ON ${t.events} (position)`,
    `CREATE TABLE ${t.eventIds} (
        event_id text NOT NULL PRIMARY KEY,
        stream_id text NOT NULL,
        version integer NOT NULL,
        position bigint NOT NULL
      )`,
  ];
}
