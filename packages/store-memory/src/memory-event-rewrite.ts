import { type PreparedRewrite, rewriteConflict, rewriteGuardHolds } from '@strata/core';
import type { MemoryStorage, StoredEvent } from './memory-storage.js';

/**
 * Rewrites one event of `storage` in place, if the rewrite's guard holds. The stored event is
 * replaced by a new object, never changed: an append's lazily built `AppendResult.events` still
 * holds the event as it was appended.
 */
export function rewriteStoredEvent(storage: MemoryStorage, rewrite: PreparedRewrite): void {
  rewriteStoredEvents(storage, [rewrite]);
}

/**
 * Rewrites every event of the batch, or none: every guard is checked before the first write, and
 * nothing else runs in between (no await), so the batch is atomic.
 */
export function rewriteStoredEvents(storage: MemoryStorage, rewrites: PreparedRewrite[]): void {
  for (const rewrite of rewrites) {
    const stored = storage.streams.get(rewrite.streamId)?.[rewrite.version - 1];
    if (!rewriteGuardHolds(rewrite, stored)) throw rewriteConflict(rewrite, stored && identityOf(stored));
  }
  for (const rewrite of rewrites) write(storage, rewrite);
}

function write(storage: MemoryStorage, rewrite: PreparedRewrite): void {
  const stream = storage.streams.get(rewrite.streamId)!;
  const old = stream[rewrite.version - 1]!;
  const rewritten: StoredEvent = {
    ...old,
    type: rewrite.type,
    schemaVersion: rewrite.schemaVersion,
    dataJson: rewrite.dataJson,
    metadataJson: rewrite.metadataJson,
  };
  stream[rewrite.version - 1] = rewritten;
  storage.log[Number(old.position - storage.positionBase) - 1] = rewritten;
  storage.eventsById.set(old.id, rewritten);
}

function identityOf(stored: StoredEvent) {
  return { id: stored.id, position: stored.position, type: stored.type, schemaVersion: stored.schemaVersion };
}
