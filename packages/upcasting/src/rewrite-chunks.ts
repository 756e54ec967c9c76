import {
  type EventRewrite,
  MAX_REWRITE_BATCH_BYTES,
  MAX_REWRITE_BATCH_SIZE,
  prepareRewrite,
  rewriteBytes,
} from '@strata/core';

/**
 * A page's rewrites cut into batches a store's `rewriteEvents` accepts (`MAX_REWRITE_BATCH_SIZE`
 * rewrites, `MAX_REWRITE_BATCH_BYTES` of payload), in page order. Each rewrite is checked here, so
 * an upcaster's output the store would refuse stops the run before the page's first commit.
 */
export function chunkRewrites<T extends { rewrite: EventRewrite }>(items: T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = rewriteBytes(prepareRewrite(item.rewrite));
    if (
      chunk.length === MAX_REWRITE_BATCH_SIZE ||
      (chunk.length > 0 && bytes + size > MAX_REWRITE_BATCH_BYTES)
    ) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
