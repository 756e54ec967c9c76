import { normalizeReadAll, type ReadAllOptions, type RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Filters `readAll` by type case-insensitively, as a column with a case-insensitive collation does. */
export class CaseFoldingTypesStore extends DelegatingEventStore {
  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { types, limit } = normalizeReadAll(options);
    if (types === undefined) return this.inner.readAll(options);
    const folded = new Set(types.map((type) => type.toLowerCase()));
    const matching = (await this.inner.readAll({ ...options, types: undefined, limit: undefined })).filter(
      (e) => folded.has(e.type.toLowerCase()),
    );
    return limit === undefined ? matching : matching.slice(0, limit);
  }
}
