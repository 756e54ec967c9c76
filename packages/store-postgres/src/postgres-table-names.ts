import { ValidationError } from '@strata/core';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

export const DEFAULT_SCHEMA = 'public';
export const DEFAULT_TABLE_PREFIX = 'strata_';

/** The store's database objects, already quoted and schema-qualified for SQL. */
export interface PostgresTableNames {
  schema: string;
  prefix: string;
  events: string;
  /** Only used with partitioning: the global unique index of event ids (see docs/global-ordering.md). */
  eventIds: string;
  streams: string;
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
  positionSequence: string;
  /** The sequence's name as a string literal, for `nextval(...)`. */
  positionSequenceLiteral: string;
  appendFunction: string;
  /** The append function followed by hooks' checkpoint moves (migration 7). */
  appendAdvancingFunction: string;
  /** The LISTEN/NOTIFY channel of this storage's appends (a hash: channel names stop at 63 bytes). */
  appendChannel: string;
  /** `<schema>.<prefix>`: starts every append notice's payload, so a listener can check it is its own. */
  storageScope: string;
  /** The optional `(event_type, position)` index (option `typeIndex`), quoted and qualified. */
  typeIndex: string;
  /** The same as a string literal, for `to_regclass(...)` inside SQL. */
  typeIndexLiteral: string;
  /** Unquoted names, for catalog look-ups. */
  raw: { events: string; migrations: string; typeIndex: string };
  /** Key of the transaction-scoped advisory lock under which positions are handed out. */
  positionLockKey: bigint;
  /** Key of the session advisory lock that serializes `migrate()`. */
  migrationLockKey: bigint;
  /** Key of the session advisory lock held while the type index is built. */
  typeIndexLockKey: bigint;
  /** Key of the session advisory lock that is the lease of this name. */
  leaseLockKey(name: string): bigint;
  /** Quoted name of an index or partition: `"<prefix><suffix>"`, unqualified (for CREATE INDEX). */
  local(suffix: string): string;
  /** Quoted, qualified name of an object in the store's schema. */
  qualified(suffix: string): string;
}

/**
 * Names are spliced into SQL (they cannot be bound), so the schema and the prefix are checked
 * against a strict pattern before they get anywhere near a statement; they are quoted as well.
 */
export function tableNames(
  schema: string = DEFAULT_SCHEMA,
  tablePrefix: string = DEFAULT_TABLE_PREFIX,
): PostgresTableNames {
  assertIdentifier(schema, 'options.schema');
  assertIdentifier(tablePrefix, 'options.tablePrefix');
  const local = (suffix: string) => `"${tablePrefix}${suffix}"`;
  const qualified = (suffix: string) => `"${schema}".${local(suffix)}`;
  const scope = `${schema}.${tablePrefix}`;
  return {
    schema,
    prefix: tablePrefix,
    events: qualified('events'),
    eventIds: qualified('event_ids'),
    streams: qualified('streams'),
    snapshots: qualified('snapshots'),
    checkpoints: qualified('checkpoints'),
    deadLetters: qualified('dead_letters'),
    dataKeys: qualified('data_keys'),
    leaseFences: qualified('lease_fences'),
    migrations: qualified('migrations'),
    storage: qualified('storage'),
    positionSequence: qualified('position_seq'),
    // Validated identifiers hold no quote, so this literal needs no escaping.
    positionSequenceLiteral: `'${qualified('position_seq')}'`,
    appendFunction: qualified('append'),
    appendAdvancingFunction: qualified('append_advancing'),
    appendChannel: `strata_appends_${BigInt.asUintN(64, lockKey(`strata:appends:${scope}`)).toString(16)}`,
    storageScope: scope,
    typeIndex: qualified('events_type_position'),
    // Validated identifiers hold no quote, so this literal needs no escaping either.
    typeIndexLiteral: `'${qualified('events_type_position')}'`,
    raw: {
      events: `${tablePrefix}events`,
      migrations: `${tablePrefix}migrations`,
      typeIndex: `${tablePrefix}events_type_position`,
    },
    positionLockKey: lockKey(`strata:position:${scope}`),
    migrationLockKey: lockKey(`strata:migrate:${scope}`),
    typeIndexLockKey: lockKey(`strata:type-index:${scope}`),
    // Two names whose keys collide only exclude each other; fences stay per name.
    leaseLockKey: (name) => lockKey(`strata:lease:${scope}:${name}`),
    local,
    qualified,
  };
}

function assertIdentifier(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ValidationError(
      path,
      `must match ${IDENTIFIER} (a letter or _, then up to 30 letters, digits or _); got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
}

/**
 * A stable signed 64-bit key (FNV-1a) per schema and prefix, so stores over different tables never
 * wait for each other's locks. A collision with another application's advisory lock would only make
 * the two wait for each other, never break ordering.
 */
function lockKey(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash);
}
