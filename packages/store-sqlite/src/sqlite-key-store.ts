import {
  assertKeyVersion,
  assertName,
  type KeyStore,
  type ListKeysOptions,
  normalizeListKeys,
  prepareDataKey,
  type WrappedDataKey,
} from '@strata/core';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';

interface KeyStatements {
  create: SqliteStatement;
  get: SqliteStatement;
  latest: SqliteStatement;
  destroy: SqliteStatement;
  listFirst: SqliteStatement;
  listAfter: SqliteStatement;
  rewrap: SqliteStatement;
}

type KeyRow = [string, number, string, string, string];

const COLUMNS = 'subject_id, version, key_id, master_key_id, wrapped_key';

/**
 * Wrapped data keys in the event store's database; get it as `store.keys`. Every rule is one
 * statement, so SQLite's write lock makes it atomic across processes sharing the file.
 */
export class SqliteKeyStore implements KeyStore {
  private statements: KeyStatements | undefined;

  /** @internal Created by `SqliteEventStore`. */
  constructor(private readonly connection: SqliteConnection<SqliteDatabase>) {}

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const k = prepareDataKey(key);
    const row = this.run((s) => s.create.get(k.subjectId, k.version, k.keyId, k.masterKeyId, k.wrappedKey));
    return keyOf(row as KeyRow);
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const row = this.run((s) => s.get.get(subjectId, version)) as KeyRow | undefined;
    return row === undefined ? undefined : keyOf(row);
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const row = this.run((s) => s.latest.get(subjectId)) as KeyRow | undefined;
    return row === undefined ? undefined : keyOf(row);
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    return this.run((s) => s.destroy.run(subjectId).changes);
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const rows = this.run((s) =>
      after === undefined
        ? s.listFirst.all(limit)
        : s.listAfter.all(after.subjectId, after.subjectId, after.version, limit),
    ) as KeyRow[];
    return rows.map(keyOf);
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const k = prepareDataKey(key);
    assertName(expectedMasterKeyId, 'expectedMasterKeyId');
    return this.run(
      (s) =>
        s.rewrap.run(k.masterKeyId, k.wrappedKey, k.subjectId, k.version, k.keyId, expectedMasterKeyId)
          .changes > 0,
    );
  }

  private run<T>(work: (statements: KeyStatements) => T): T {
    const db = this.connection.database();
    try {
      this.statements ??= prepare(db, this.connection.tables.dataKeys);
      return work(this.statements);
    } catch (error) {
      throw toStoreError(error, db);
    }
  }
}

function keyOf([subjectId, version, keyId, masterKeyId, wrappedKey]: KeyRow): WrappedDataKey {
  return { subjectId, version, keyId, masterKeyId, wrappedKey };
}

function prepare(db: SqliteDatabase, table: string): KeyStatements {
  const one = (sql: string) => db.prepare(sql).raw(true);
  // Subject ids sort by the BINARY collation (UTF-8 bytes), the store's own stable order.
  const list = (where: string) =>
    one(`SELECT ${COLUMNS} FROM ${table} ${where} ORDER BY subject_id, version LIMIT ?`);
  return {
    // The no-op update makes RETURNING give the stored row when the version exists: create-if-absent
    // and reading the winner back are one statement, with no gap for another writer.
    create: one(
      `INSERT INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subject_id, version) DO UPDATE SET key_id = key_id
       RETURNING ${COLUMNS}`,
    ),
    get: one(`SELECT ${COLUMNS} FROM ${table} WHERE subject_id = ? AND version = ?`),
    latest: one(`SELECT ${COLUMNS} FROM ${table} WHERE subject_id = ? ORDER BY version DESC LIMIT 1`),
    destroy: db.prepare(`DELETE FROM ${table} WHERE subject_id = ?`),
    listFirst: list(''),
    listAfter: list('WHERE subject_id > ? OR (subject_id = ? AND version > ?)'),
    rewrap: db.prepare(
      `UPDATE ${table} SET master_key_id = ?, wrapped_key = ?
       WHERE subject_id = ? AND version = ? AND key_id = ? AND master_key_id = ?`,
    ),
  };
}
