import type { MemoryStorage } from '@strata/store-memory';

const tails = new WeakMap<MemoryStorage, Map<string, Promise<unknown>>>();

/**
 * Runs `work` after every earlier call for the same stream over `storage` has settled, in any
 * instance: a per-stream row lock, which serializes appends to one stream and nothing else.
 */
export function underStreamLock<T>(
  storage: MemoryStorage,
  streamId: string,
  work: () => Promise<T>,
): Promise<T> {
  let byStream = tails.get(storage);
  if (byStream === undefined) {
    byStream = new Map();
    tails.set(storage, byStream);
  }
  const run = (byStream.get(streamId) ?? Promise.resolve()).then(work, work);
  byStream.set(
    streamId,
    run.catch(() => undefined),
  );
  return run;
}
