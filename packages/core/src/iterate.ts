import { ValidationError } from './errors/validation-error.js';
import type { RecordedEvent } from './event.js';
import type { EventStore } from './event-store.js';

const DEFAULT_BATCH_SIZE = 1000;

export interface IterateStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  batchSize?: number;
}

export interface IterateAllOptions {
  after?: bigint;
  types?: string[];
  batchSize?: number;
}

/**
 * Yields a stream's events in version order, reading `batchSize` at a time, so replaying a long
 * stream holds one page in memory.
 */
export async function* iterateStream(
  store: EventStore,
  streamId: string,
  options: IterateStreamOptions = {},
): AsyncGenerator<RecordedEvent, void, undefined> {
  const batchSize = batchSizeOf(options.batchSize);
  let fromVersion = options.fromVersion ?? 1;
  const toVersion = options.toVersion;
  for (;;) {
    const page = await store.readStream(streamId, {
      fromVersion,
      ...(toVersion === undefined ? {} : { toVersion }),
      limit: batchSize,
    });
    yield* page;
    const last = page[page.length - 1];
    if (page.length < batchSize || last === undefined) return;
    fromVersion = last.version + 1;
  }
}

/**
 * Yields the global log from `after` (exclusive) in position order, `batchSize` events at a time.
 * It ends at the log's end as of its last page; call again with the last position to continue.
 */
export async function* iterateAll(
  store: EventStore,
  options: IterateAllOptions = {},
): AsyncGenerator<RecordedEvent, void, undefined> {
  const batchSize = batchSizeOf(options.batchSize);
  let after = options.after ?? 0n;
  for (;;) {
    const page = await store.readAll({
      after,
      limit: batchSize,
      ...(options.types === undefined ? {} : { types: options.types }),
    });
    yield* page;
    const last = page[page.length - 1];
    if (page.length < batchSize || last === undefined) return;
    after = last.position;
  }
}

function batchSizeOf(batchSize: number | undefined): number {
  const size = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(size) || size < 1)
    throw new ValidationError('options.batchSize', 'must be an integer >= 1');
  return size;
}
