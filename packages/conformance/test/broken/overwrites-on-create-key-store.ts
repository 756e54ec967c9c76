import { prepareDataKey, type WrappedDataKey } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/** An upsert where an insert-if-absent belongs: a second create replaces the key data was encrypted with. */
export class OverwritesOnCreateKeyStore extends KeyMapStore {
  override async createKey(key: WrappedDataKey): Promise<WrappedDataKey> {
    const prepared = prepareDataKey(key);
    this.keys.set(this.slot(prepared.subjectId, prepared.version), prepared);
    return { ...prepared };
  }
}
