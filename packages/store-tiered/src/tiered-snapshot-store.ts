import { randomUUID } from 'node:crypto';
import {
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  MAX_VERSION,
  normalizeDeleteSnapshots,
  normalizeLoadSnapshot,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';
import type { HotSnapshot, SnapshotChange } from './hot-snapshot.js';
import type { HotTier } from './hot-tier.js';
import type { TierContext } from './tier-context.js';
import type { TieredStoreMetrics } from './tiered-store-metrics.js';

type SnapshotHotTier = Required<
  Pick<HotTier, 'readSnapshot' | 'beginSnapshotWrite' | 'endSnapshotWrite' | 'promoteSnapshot'>
>;

/**
 * `store.snapshots`: the warm snapshot store (the truth) with the newest snapshot of each stream
 * kept in the hot tier, never stale and never partial (see the README's "Snapshots"). A write
 * marks the stream as being written in the hot tier before it writes warm and settles the copy
 * after; a load serves the copy only when no writer is pending and the copy answers the query, and
 * promotes an unfiltered warm answer only if nothing was written since it looked. Every hot-tier
 * failure falls back to the warm store: no save, delete or load fails for a hot-tier reason.
 */
export class TieredSnapshotStore implements SnapshotStore {
  /** With a hot tier that keeps snapshots; else every call goes to the warm snapshot store. */
  private readonly ctx: TierContext | undefined;

  /** @internal Created by `TieredEventStore`. */
  constructor(
    private readonly warm: SnapshotStore,
    ctx: TierContext | undefined,
    private readonly metrics: TieredStoreMetrics,
    private readonly assertOpen: () => void,
  ) {
    this.ctx = ctx !== undefined && keepsSnapshots(ctx.policy.hot) ? ctx : undefined;
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    // Checked (and createdAt fixed) before anything is written: warm and hot hold the same snapshot.
    const { streamId, version, stateVersion, state, stateJson, createdAt } = prepareSnapshot(snapshot);
    this.assertOpen();
    const copy: HotSnapshot = { version, stateVersion, createdAt: createdAt.getTime(), stateJson };
    await this.write(
      streamId,
      () => this.warm.saveSnapshot({ streamId, version, stateVersion, state, createdAt }),
      { kind: 'save', snapshot: copy },
    );
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    this.assertOpen();
    const { ctx, metrics } = this;
    if (ctx === undefined) return this.warm.loadSnapshot(streamId, options);
    const read = ctx.usableFor(streamId)
      ? await ctx.access.run('readSnapshot', (hot) => hot.readSnapshot!(streamId, this.refreshTtl()))
      : undefined;
    const hot = read?.ok ? read.value : undefined;
    if (hot !== undefined && !hot.writing && hot.copy !== undefined) {
      const { copy } = hot;
      // The copy is the newest snapshot overall: it answers every query it meets, and "none" answers all.
      if (copy === null) {
        metrics.snapshots.hits++;
        return undefined;
      }
      if (copy.version <= maxVersion && (stateVersion === undefined || stateVersion === copy.stateVersion)) {
        const served = toSnapshot(streamId, copy);
        if (served !== undefined) {
          metrics.snapshots.hits++;
          return served;
        }
      }
    }
    metrics.snapshots.misses++;
    const answer = await this.warm.loadSnapshot(streamId, options);
    const unfiltered = stateVersion === undefined && maxVersion >= MAX_VERSION;
    if (hot !== undefined && !hot.writing && hot.copy === undefined && unfiltered) {
      // Encoded now: the caller may change the state it got once this returns.
      const value: HotSnapshot | null =
        answer === undefined
          ? null
          : {
              version: answer.version,
              stateVersion: answer.stateVersion,
              createdAt: answer.createdAt.getTime(),
              stateJson: JSON.stringify(answer.state),
            };
      ctx.background(() => this.promote(ctx, streamId, hot.seen, value));
    }
    return answer;
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    this.assertOpen();
    return this.warm.listSnapshotStreams(options);
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    this.assertOpen();
    return this.write(
      streamId,
      () => this.warm.deleteSnapshots(streamId, beforeVersion === undefined ? {} : { beforeVersion }),
      { kind: 'delete', beforeVersion },
    );
  }

  /**
   * The warm write between the hot tier's two steps. If the first step fails, the stream joins the
   * pending invalidations (its copy is deleted once the hot tier answers, and until then this store
   * reads it from warm), as after an append whose copy could not be updated; the warm write happens
   * either way. A warm write that fails may still have committed: the copy is dropped.
   */
  private async write<T>(streamId: string, warmWrite: () => Promise<T>, change: SnapshotChange): Promise<T> {
    const { ctx } = this;
    if (ctx === undefined) return warmWrite();
    const { snapshotWriteLeaseMs, ttlSeconds } = ctx.policy;
    const token = randomUUID();
    const began = await ctx.access.run('beginSnapshotWrite', (hot) =>
      hot.beginSnapshotWrite!(streamId, token, snapshotWriteLeaseMs, ttlSeconds),
    );
    if (!began.ok) ctx.access.remember(streamId);
    let result: T;
    try {
      result = await warmWrite();
    } catch (error) {
      if (began.ok) await this.end(ctx, streamId, token, { kind: 'unknown' });
      throw error;
    }
    if (began.ok) await this.end(ctx, streamId, token, change);
    return result;
  }

  /** The second step; if it fails, the writer's lease ends it, and this store deletes the copy later. */
  private async end(
    ctx: TierContext,
    streamId: string,
    token: string,
    change: SnapshotChange,
  ): Promise<void> {
    const outcome = await ctx.access.run('endSnapshotWrite', (hot) =>
      hot.endSnapshotWrite!(streamId, token, change, ctx.policy.ttlSeconds),
    );
    if (!outcome.ok) ctx.access.remember(streamId);
    else if (outcome.value === 'stored') this.metrics.snapshots.writeThroughs++;
  }

  private async promote(
    ctx: TierContext,
    streamId: string,
    seen: string,
    value: HotSnapshot | null,
  ): Promise<void> {
    const outcome = await ctx.access.run('promoteSnapshot', (hot) =>
      hot.promoteSnapshot!(streamId, seen, value, ctx.policy.ttlSeconds),
    );
    if (outcome.ok && outcome.value === 'stored') this.metrics.snapshots.promotions++;
  }

  private refreshTtl(): number | undefined {
    return this.ctx?.policy.refreshTtlOnRead ? this.ctx.policy.ttlSeconds : undefined;
  }
}

function keepsSnapshots(hot: HotTier): hot is HotTier & SnapshotHotTier {
  return (
    typeof hot.readSnapshot === 'function' &&
    typeof hot.beginSnapshotWrite === 'function' &&
    typeof hot.endSnapshotWrite === 'function' &&
    typeof hot.promoteSnapshot === 'function'
  );
}

/** The copy as a snapshot; `undefined` if its state is not JSON (then it is not served). */
function toSnapshot(streamId: string, copy: HotSnapshot): Snapshot | undefined {
  let state: unknown;
  try {
    state = JSON.parse(copy.stateJson);
  } catch {
    return undefined;
  }
  return {
    streamId,
    version: copy.version,
    stateVersion: copy.stateVersion,
    state,
    createdAt: new Date(copy.createdAt),
  };
}
