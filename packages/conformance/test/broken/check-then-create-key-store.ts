import { prepareDataKey, type WrappedDataKey } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/**
 * Looks for the key, then inserts in a second round trip (a SELECT then an upsert): right one at a
 * time, but racing creators each store their own key, and all but the last encrypt with a lost one.
 */
export class CheckThenCreateKeyStore extends KeyMapStore {
  override async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const prepared = prepareDataKey(key);
    const slot = this.slot(prepared.subjectId, prepared.version);
    const existing = this.keys.get(slot);
    if (existing !== undefined) return { ...existing };
    await new Promise((resolve) => setImmediate(resolve));
    this.keys.set(slot, prepared);
    return { ...prepared };
  }
}
