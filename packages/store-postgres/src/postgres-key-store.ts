import {
  assertKeyVersion,
  assertName,
  type KeyStore,
  type ListKeysOptions,
  normalizeListKeys,
  prepareDataKey,
  type WrappedDataKey,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';

const COLUMNS = 'subject_id, version, key_id, master_key_id, wrapped_key';

type KeyRow = [string, string, string, string, string];

/**
 * Wrapped data keys in the event store's database. Get it as `store.keys`; it shares the store's
 * pool, table prefix and lifetime. Every rule is one statement, atomic on the server.
 */
export class PostgresKeyStore implements KeyStore {
  private readonly create: PreparedStatement;
  private readonly get: PreparedStatement;
  private readonly latest: PreparedStatement;
  private readonly destroy: PreparedStatement;
  private readonly listFirst: PreparedStatement;
  private readonly listAfter: PreparedStatement;
  private readonly rewrap: PreparedStatement;

  constructor(private readonly connection: PostgresConnection) {
    const table = connection.tables.dataKeys;
    // The no-op update locks and returns the stored row when the version exists (a racing insert
    // is waited for), so create-if-absent and reading the winner back are one statement.
    this.create = preparedStatement(
      `INSERT INTO ${table} AS k (${COLUMNS}) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject_id, version) DO UPDATE SET key_id = k.key_id
       RETURNING ${COLUMNS}`,
    );
    this.get = preparedStatement(`SELECT ${COLUMNS} FROM ${table} WHERE subject_id = $1 AND version = $2`);
    this.latest = preparedStatement(
      `SELECT ${COLUMNS} FROM ${table} WHERE subject_id = $1 ORDER BY version DESC LIMIT 1`,
    );
    this.destroy = preparedStatement(`DELETE FROM ${table} WHERE subject_id = $1`);
    // subject_id is COLLATE "C": the primary key's order (UTF-8 bytes), the store's stable order.
    this.listFirst = preparedStatement(
      `SELECT ${COLUMNS} FROM ${table} ORDER BY subject_id, version LIMIT $1`,
    );
    this.listAfter = preparedStatement(
      `SELECT ${COLUMNS} FROM ${table} WHERE (subject_id, version) > ($1, $2)
       ORDER BY subject_id, version LIMIT $3`,
    );
    this.rewrap = preparedStatement(
      `UPDATE ${table} SET master_key_id = $1, wrapped_key = $2
       WHERE subject_id = $3 AND version = $4 AND key_id = $5 AND master_key_id = $6`,
    );
  }

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const k = prepareDataKey(key);
    const { rows } = await this.connection.query(
      this.create.query([k.subjectId, k.version, k.keyId, k.masterKeyId, k.wrappedKey]),
    );
    return keyOf(rows[0] as KeyRow);
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const { rows } = await this.connection.query(this.get.query([subjectId, version]));
    return rows.length === 0 ? undefined : keyOf(rows[0] as KeyRow);
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const { rows } = await this.connection.query(this.latest.query([subjectId]));
    return rows.length === 0 ? undefined : keyOf(rows[0] as KeyRow);
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    const { rowCount } = await this.connection.query(this.destroy.query([subjectId]));
    return rowCount ?? 0;
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const query =
      after === undefined
        ? this.listFirst.query([limit])
        : this.listAfter.query([after.subjectId, after.version, limit]);
    const { rows } = await this.connection.query(query);
    return (rows as KeyRow[]).map(keyOf);
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const k = prepareDataKey(key);
    assertName(expectedMasterKeyId, 'expectedMasterKeyId');
    const { rowCount } = await this.connection.query(
      this.rewrap.query([k.masterKeyId, k.wrappedKey, k.subjectId, k.version, k.keyId, expectedMasterKeyId]),
    );
    return (rowCount ?? 0) > 0;
  }
}

function keyOf([subjectId, version, keyId, masterKeyId, wrappedKey]: KeyRow): WrappedDataKey {
  return { subjectId, version: Number(version), keyId, masterKeyId, wrappedKey };
}
