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

/** A key store in a map, right in every rule; each broken store overrides one method wrongly. */
export class KeyMapStore implements KeyStore {
  protected readonly keys = new Map<string, WrappedDataKey>();

  protected slot(subjectId: string, version: number): string {
    return `${subjectId}\u0000${version}`;
  }

  async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const prepared = prepareDataKey(key);
    const slot = this.slot(prepared.subjectId, prepared.version);
    const existing = this.keys.get(slot);
    if (existing !== undefined) return { ...existing };
    this.keys.set(slot, prepared);
    return { ...prepared };
  }

  async getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    assertKeyVersion(version, 'version');
    const key = this.keys.get(this.slot(subjectId, version));
    return key === undefined ? undefined : { ...key };
  }

  async latestKey(subjectId: string): Promise<WrappedDataKey | undefined> {
    assertName(subjectId, 'subjectId');
    const own = [...this.keys.values()].filter((key) => key.subjectId === subjectId).sort(compareKeys);
    const latest = own.at(-1);
    return latest === undefined ? undefined : { ...latest };
  }

  async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    let count = 0;
    for (const [slot, key] of this.keys) {
      if (key.subjectId !== subjectId) continue;
      this.keys.delete(slot);
      count++;
    }
    return count;
  }

  async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    return [...this.keys.values()]
      .filter((key) => after === undefined || compareKeys(key, after) > 0)
      .sort(compareKeys)
      .slice(0, limit)
      .map((key) => ({ ...key }));
  }

  async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const prepared = prepareDataKey(key);
    const slot = this.slot(prepared.subjectId, prepared.version);
    const current = this.keys.get(slot);
    if (current?.keyId !== prepared.keyId || current.masterKeyId !== expectedMasterKeyId) return false;
    this.keys.set(slot, prepared);
    return true;
  }
}
