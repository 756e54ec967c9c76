import { compareKeys, type ListKeysOptions, normalizeListKeys, type WrappedDataKey } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/**
 * Sorts by UTF-8 bytes, as a binary SQL collation would, but resumes by comparing UTF-16 code
 * units in the application: characters above U+FFFF sit on different sides in the two orders, so a
 * paging re-wrap skips keys.
 */
export class MixesOrdersKeyStore extends KeyMapStore {
  override async listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]> {
    const { after, limit } = normalizeListKeys(options);
    const byBytes = (a: WrappedDataKey, b: WrappedDataKey) =>
      Buffer.compare(Buffer.from(a.subjectId), Buffer.from(b.subjectId)) || a.version - b.version;
    return [...this.keys.values()]
      .filter((key) => after === undefined || compareKeys(key, after) > 0)
      .sort(byBytes)
      .slice(0, limit)
      .map((key) => ({ ...key }));
  }
}
