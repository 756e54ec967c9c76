import { compareKeys, type ListKeysOptions, normalizeListKeys, type WrappedDataKey } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/**
 * Orders keys by a text column `subject:version` (version 10 before 2) while resuming by the true
 * order: a paging re-wrap skips keys.
 */
export class ListsByTextKeyStore extends KeyMapStore {
  override async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const text = (key: WrappedDataKey) => `${key.subjectId}:${key.version}`;
    return [...this.keys.values()]
      .filter((key) => after === undefined || compareKeys(key, after) > 0)
      .sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0))
      .slice(0, limit)
      .map((key) => ({ ...key }));
  }
}
