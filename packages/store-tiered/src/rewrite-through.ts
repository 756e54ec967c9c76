import {
  type EventRewrite,
  type EventRewriter,
  prepareRewrite,
  prepareRewrites,
  StoreUnavailableError,
} from '@strata/core';
import type { TierContext } from './tier-context.js';

/**
 * A rewrite of one event, in place, through the tiers. Versions do not change, so the hot tier's
 * never-stale checks (a copy is current when it reaches the warm store's version) cannot see it:
 * before the warm write, the stream's copy is deleted and its promotions are barred for
 * `ttlSeconds`, so no reader that read the old payload (in this process or another, over a slow
 * link) can put it back. If the hot tier cannot be reached for that, nothing is written.
 */
export async function rewriteThrough(
  warm: EventRewriter,
  ctx: TierContext | undefined,
  rewrite: EventRewrite,
  storeName: string,
): Promise<void> {
  if (ctx !== undefined) await bar(ctx, prepareRewrite(rewrite).streamId, storeName);
  await warm.rewriteEvent(rewrite);
}

/**
 * A batch of rewrites, all or nothing, through the tiers: every stream of the batch is barred in
 * the hot tier as for one rewrite, then the warm store rewrites the batch in one transaction. If any
 * stream cannot be barred, nothing is written (the streams barred already only lose their copies).
 */
export async function rewriteBatchThrough(
  warm: Required<EventRewriter>,
  ctx: TierContext | undefined,
  rewrites: EventRewrite[],
  storeName: string,
): Promise<void> {
  if (ctx !== undefined) {
    const streams = new Set(prepareRewrites(rewrites).map((rewrite) => rewrite.streamId));
    for (const streamId of streams) await bar(ctx, streamId, storeName);
  }
  await warm.rewriteEvents(rewrites);
}

async function bar(ctx: TierContext, streamId: string, storeName: string): Promise<void> {
  const outcome = await ctx.access.run('invalidateRewritten', (hot) =>
    hot.invalidateRewritten!(streamId, ctx.policy.ttlSeconds),
  );
  if (!outcome.ok) throw new StoreUnavailableError(storeName, outcome.error);
  ctx.metrics.invalidation(streamId, 'rewritten');
}
