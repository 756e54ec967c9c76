import {
  assertKeyVersion,
  assertName,
  type KeyStore,
  type ListKeysOptions,
  normalizeListKeys,
  prepareDataKey,
  type WrappedDataKey,
} from '@strata/core';
import type { MysqlStoreContext } from './mysql-store-context.js';

// Versions as text: exact whatever the pool's big-number settings.
const COLUMNS = 'subject_id, CAST(version AS CHAR), key_id, master_key_id, wrapped_key';

/**
 * Wrapped data keys in the event store's database; get it as `store.keys`. Subject ids use the
 * store's binary id collation, so case and trailing spaces tell subjects apart and `listKeys`
 * pages in code point (UTF-8 byte) order.
 */
export class MysqlKeyStore implements KeyStore {
  private readonly sql: {
    create: string;
    get: string;
    latest: string;
    destroy: string;
    listFirst: string;
    listAfter: string;
    rewrap: string;
  };

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {
    const table = context.tables.dataKeys;
    const list = (where: string) =>
      `SELECT ${COLUMNS} FROM ${table} ${where} ORDER BY subject_id, version LIMIT ?`;
    this.sql = {
      // A no-op on a duplicate (unlike INSERT IGNORE, which would also swallow refused data). The
      // statement waits for a racing insert of the same key to commit, so the read that follows
      // sees the winner.
      create: `INSERT INTO ${table} (subject_id, version, key_id, master_key_id, wrapped_key)
        VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE key_id = key_id`,
      get: `SELECT ${COLUMNS} FROM ${table} WHERE subject_id = ? AND version = ?`,
      latest: `SELECT ${COLUMNS} FROM ${table} WHERE subject_id = ? ORDER BY version DESC LIMIT 1`,
      destroy: `DELETE FROM ${table} WHERE subject_id = ?`,
      listFirst: list(''),
      listAfter: list('WHERE subject_id > ? OR (subject_id = ? AND version > ?)'),
      rewrap: `UPDATE ${table} SET master_key_id = ?, wrapped_key = ?
        WHERE subject_id = ? AND version = ? AND key_id = ? AND master_key_id = ?`,
    };
  }

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const k = prepareDataKey(key);
    // A destroy between the insert and the read leaves nothing to return; creating again is then
    // what a create after that destroy would do.
    for (;;) {
      await this.context.write(this.sql.create, [
        k.subjectId,
        k.version,
        k.keyId,
        k.masterKeyId,
        k.wrappedKey,
      ]);
      const stored = await this.getKey(k.subjectId, k.version);
      if (stored !== undefined) return stored;
    }
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const [row] = await this.context.select(this.sql.get, [subjectId, version]);
    return row === undefined ? undefined : keyOf(row);
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const [row] = await this.context.select(this.sql.latest, [subjectId]);
    return row === undefined ? undefined : keyOf(row);
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    return this.context.write(this.sql.destroy, [subjectId]);
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const rows =
      after === undefined
        ? await this.context.select(this.sql.listFirst, [String(limit)])
        : await this.context.select(this.sql.listAfter, [
            after.subjectId,
            after.subjectId,
            after.version,
            String(limit),
          ]);
    return rows.map(keyOf);
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const k = prepareDataKey(key);
    assertName(expectedMasterKeyId, 'expectedMasterKeyId');
    const changed = await this.context.write(this.sql.rewrap, [
      k.masterKeyId,
      k.wrappedKey,
      k.subjectId,
      k.version,
      k.keyId,
      expectedMasterKeyId,
    ]);
    return changed > 0;
  }
}

function keyOf(row: unknown[]): WrappedDataKey {
  const [subjectId, version, keyId, masterKeyId, wrappedKey] = row as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { subjectId, version: Number(version), keyId, masterKeyId, wrappedKey };
}
