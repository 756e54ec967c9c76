import {
  assertKeyVersion,
  assertName,
  compareKeys,
  type KeyStore,
  type ListKeysOptions,
  normalizeListKeys,
  prepareDataKey,
  type WrappedDataKey,
} from '@strata/core';

/**
 * Wrapped data keys in memory. Each write checks and changes the map without an `await` in
 * between, so create-if-absent and the re-wrap's compare-and-set are atomic.
 */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, Map<number, WrappedDataKey>>();

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const prepared = prepareDataKey(key);
    const versions = this.keys.get(prepared.subjectId) ?? new Map<number, WrappedDataKey>();
    const existing = versions.get(prepared.version);
    if (existing !== undefined) return { ...existing };
    versions.set(prepared.version, prepared);
    this.keys.set(prepared.subjectId, versions);
    return { ...prepared };
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const key = this.keys.get(subjectId)?.get(version);
    return key === undefined ? undefined : { ...key };
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const versions = this.keys.get(subjectId);
    if (versions === undefined) return undefined;
    const latest = Math.max(...versions.keys());
    return { ...versions.get(latest)! };
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    const count = this.keys.get(subjectId)?.size ?? 0;
    this.keys.delete(subjectId);
    return count;
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const all = [...this.keys.values()].flatMap((versions) => [...versions.values()]);
    return all
      .filter((key) => after === undefined || compareKeys(key, after) > 0)
      .sort(compareKeys)
      .slice(0, limit)
      .map((key) => ({ ...key }));
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const prepared = prepareDataKey(key);
    assertName(expectedMasterKeyId, 'expectedMasterKeyId');
    const versions = this.keys.get(prepared.subjectId);
    const current = versions?.get(prepared.version);
    if (current === undefined || current.keyId !== prepared.keyId) return false;
    if (current.masterKeyId !== expectedMasterKeyId) return false;
    versions!.set(prepared.version, prepared);
    return true;
  }
}
