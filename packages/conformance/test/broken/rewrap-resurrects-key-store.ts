import { prepareDataKey, type WrappedDataKey } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/**
 * Re-wraps with an upsert guarded only against a stored key of another master key: a key destroyed
 * while the re-wrap ran is written back, and the forgotten subject can be read again.
 */
export class RewrapResurrectsKeyStore extends KeyMapStore {
  override async rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean> {
    const prepared = prepareDataKey(key);
    const slot = this.slot(prepared.subjectId, prepared.version);
    const current = this.keys.get(slot);
    if (current !== undefined && current.masterKeyId !== expectedMasterKeyId) return false;
    this.keys.set(slot, prepared);
    return true;
  }
}
