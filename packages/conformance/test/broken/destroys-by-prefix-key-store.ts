import { assertName } from '@strata/core';
import { KeyMapStore } from './key-map-store.js';

/** Destroys with `LIKE subject%`: forgetting one subject shreds every subject whose id extends it. */
export class DestroysByPrefixKeyStore extends KeyMapStore {
  override async destroyKeys(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    let count = 0;
    for (const [slot, key] of this.keys) {
      if (!key.subjectId.startsWith(subjectId)) continue;
      this.keys.delete(slot);
      count++;
    }
    return count;
  }
}
