import { DuplicateEventError } from './errors/duplicate-event-error.js';
import type { AppendResult } from './event.js';
import type { PreparedAppend } from './prepare-append.js';

/** Where an already stored event sits, as an adapter found it by id. */
export interface StoredEventLocation {
  id: string;
  streamId: string;
  version: number;
  position: bigint;
}

/**
 * Decides what an append whose event ids already exist means.
 *
 * A client that retries after a timeout resends the same batch; if that batch was committed to
 * the same stream, in the same order, at consecutive versions, the retry returns the original
 * result and writes nothing. Any other overlap is a `DuplicateEventError`.
 *
 * Adapter authors: look up the batch's ids (`found`, in any order) when the version check fails or
 * when the unique event-id constraint fires, and call this. It returns the original result, throws
 * `DuplicateEventError`, or returns `undefined` when none of the ids exist (the append is a real
 * conflict, and the caller throws `ConcurrencyError`).
 */
export function resolveIdempotentRetry(
  append: PreparedAppend,
  found: readonly StoredEventLocation[],
): AppendResult | undefined {
  if (found.length === 0) return undefined;
  const byId = new Map(found.map((location) => [location.id, location]));
  const first = byId.get(append.events[0]?.id ?? '');
  const isRetry =
    first !== undefined &&
    first.streamId === append.streamId &&
    found.length === append.events.length &&
    append.events.every((event, i) => {
      const location = byId.get(event.id);
      return location?.streamId === append.streamId && location.version === first.version + i;
    });
  if (isRetry) {
    const last = byId.get(append.events[append.events.length - 1]?.id ?? '')!;
    return {
      streamId: append.streamId,
      firstVersion: first.version,
      lastVersion: last.version,
      lastPosition: last.position,
    };
  }
  const clash = append.events.find((event) => byId.has(event.id))!;
  throw new DuplicateEventError(clash.id, append.streamId, byId.get(clash.id)?.streamId);
}
