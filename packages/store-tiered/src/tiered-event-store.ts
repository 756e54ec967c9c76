import {
  type AppendOptions,
  type AppendResult,
  assertName,
  type EventRewrite,
  type EventStore,
  type NewEvent,
  normalizeReadStream,
  normalizeReadStreams,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  type SnapshotStore,
  StoreClosedError,
  supportsEventRewrite,
  supportsEventRewriteBatch,
} from '@strata/core';
import { AbsentCopies } from './absent-copies.js';
import { HotAccess } from './hot-access.js';
import { HotReader } from './hot-reader.js';
import { HotStreamsReader } from './hot-streams-reader.js';
import { PendingInvalidations } from './pending-invalidations.js';
import { RecentWrites } from './recent-writes.js';
import { rewriteBatchThrough, rewriteThrough } from './rewrite-through.js';
import { StorageScopedHot, warmStorageIdOf } from './storage-scoped-hot.js';
import { TierContext } from './tier-context.js';
import { TieredSnapshotStore } from './tiered-snapshot-store.js';
import type { TieredStoreEventName, TieredStoreListener, TieredStoreStats } from './tiered-store-events.js';
import { TieredStoreMetrics } from './tiered-store-metrics.js';
import { normalizeTieredOptions, type TieredEventStoreOptions } from './tiered-store-options.js';
import { WarmReader } from './warm-reader.js';
import { WriteThrough } from './write-through.js';

export const STORE_NAME = 'tiered';

interface HotPaths {
  ctx: TierContext;
  access: HotAccess;
  reader: HotReader;
  streams: HotStreamsReader;
  writer: WriteThrough;
}

/**
 * An `EventStore` over a warm store (the truth), with an optional hot tier (a cache that is never
 * served stale or partial) and an optional cold tier (archived events, read through).
 * `readAll` and `streamVersion` always come from the warm store.
 */
export class TieredEventStore implements EventStore {
  private readonly metrics = new TieredStoreMetrics();
  private readonly pending: PendingInvalidations;
  private readonly warm: EventStore;
  private readonly warmReader: WarmReader;
  private readonly paths: HotPaths | undefined;
  /** Neither a hot nor a cold tier: every call goes to the warm store as it is. */
  private readonly passthrough: boolean;
  private closed = false;

  /**
   * The warm storage's id (the `warmStorageId` option, else the warm store's own), when there is
   * one: the tiered store's storage is its warm store's.
   */
  readonly storageId?: () => Promise<string>;

  /**
   * The warm store's `lastPosition()`, when it has one. `readAll` comes from the warm store, so its
   * last position is the one that holds; the hot tier's copies are never asked.
   */
  readonly lastPosition?: () => Promise<bigint>;

  /**
   * The snapshots, when there is a warm snapshot store (the `warmSnapshots` option, else the warm
   * store's own `snapshots`): the warm one, with each stream's newest snapshot kept in the hot tier
   * too (see the README's "Snapshots").
   */
  readonly snapshots: TieredSnapshotStore | undefined;

  /**
   * Core's optional `EventRewriter`, when the warm store has it and the hot tier (if any) can bar a
   * rewritten stream (`HotTier.invalidateRewritten`; `RedisHotTier` can): the warm store rewrites,
   * and the stream is kept out of the hot tier for `ttlSeconds`, so the old payload is never served.
   */
  readonly rewriteEvent?: (rewrite: EventRewrite) => Promise<void>;
  /**
   * The batch form (`EventRewriter.rewriteEvents`), when `rewriteEvent` is offered and the warm
   * store has the batch form too: every stream of the batch is barred in the hot tier, then the warm
   * store rewrites the batch, all or nothing.
   */
  readonly rewriteEvents?: (rewrites: EventRewrite[]) => Promise<void>;

  constructor(options: TieredEventStoreOptions) {
    const normalized = normalizeTieredOptions(options);
    this.warm = normalized.warm;
    const warmStorageId = warmStorageIdOf(normalized.warm, options.warmStorageId);
    if (warmStorageId !== undefined) {
      this.storageId = async () => {
        this.assertOpen();
        return warmStorageId();
      };
    }
    const { warm } = normalized;
    if (typeof warm.lastPosition === 'function') {
      this.lastPosition = async () => {
        this.assertOpen();
        return warm.lastPosition!();
      };
    }
    this.pending = new PendingInvalidations(normalized.hot?.maxPendingInvalidations ?? 0);
    this.warmReader = new WarmReader(normalized.warm, normalized.cold, this.metrics);
    this.passthrough = normalized.hot === undefined && normalized.cold === undefined;
    const policy = normalized.hot;
    if (policy === undefined) {
      this.snapshots = this.snapshotsOver(normalized.warmSnapshots, undefined);
      this.offerRewrite(undefined);
      return;
    }
    const scopedHot = new StorageScopedHot(policy.hot, policy.warmStorageId, (scoped) =>
      absent.listen(scoped),
    );
    const absent = new AbsentCopies(() => {
      // A warm store that cannot say its storage id yet: the first hot-tier call asks again.
      scopedHot.get().catch(() => {});
    });
    const access = new HotAccess(scopedHot, policy, this.metrics, this.pending);
    const ctx = new TierContext(
      policy,
      access,
      this.warmReader,
      this.metrics,
      this.pending,
      new RecentWrites(policy.maxStalenessMs),
      absent,
    );
    const reader = new HotReader(ctx);
    this.paths = {
      ctx,
      access,
      reader,
      streams: new HotStreamsReader(ctx, reader),
      writer: new WriteThrough(ctx),
    };
    this.snapshots = this.snapshotsOver(normalized.warmSnapshots, ctx);
    this.offerRewrite(typeof policy.hot.invalidateRewritten === 'function' ? ctx : undefined);
  }

  /** Defines `rewriteEvent` when the warm store can rewrite and the hot tier, if any, can be kept from going stale. */
  private offerRewrite(ctx: TierContext | undefined): void {
    const { warm } = this;
    if (!supportsEventRewrite(warm) || (this.paths !== undefined && ctx === undefined)) return;
    (this as { rewriteEvent?: (rewrite: EventRewrite) => Promise<void> }).rewriteEvent = async (rewrite) => {
      this.assertOpen();
      await rewriteThrough(warm, ctx, rewrite, STORE_NAME);
    };
    if (!supportsEventRewriteBatch(warm)) return;
    (this as { rewriteEvents?: (rewrites: EventRewrite[]) => Promise<void> }).rewriteEvents = async (
      rewrites,
    ) => {
      this.assertOpen();
      await rewriteBatchThrough(warm, ctx, rewrites, STORE_NAME);
    };
  }

  private snapshotsOver(
    warm: SnapshotStore | undefined,
    ctx: TierContext | undefined,
  ): TieredSnapshotStore | undefined {
    return warm === undefined
      ? undefined
      : new TieredSnapshotStore(warm, ctx, this.metrics, () => this.assertOpen());
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (this.paths === undefined) return this.warm.append(streamId, events, options);
    return this.paths.writer.append(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    if (this.passthrough) {
      this.assertOpen();
      return this.warm.readStream(streamId, options);
    }
    const range = normalizeReadStream(streamId, options);
    this.assertOpen();
    if (this.paths === undefined) return this.warmReader.readStream(streamId, range);
    return this.paths.reader.readStream(streamId, range);
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    if (this.passthrough) {
      this.assertOpen();
      return this.warm.readStreams(streamIds, options);
    }
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    this.assertOpen();
    if (this.paths === undefined) return this.warmReader.readStreams(ids, fromVersion);
    return this.paths.streams.readStreams(ids, fromVersion);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.warm.readAll(options);
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    this.assertOpen();
    return this.warm.streamVersion(streamId);
  }

  /**
   * Stops the breaker's probes and makes a last attempt to delete copies this store could not
   * delete earlier. The tiers you handed in stay open: close the warm store (and a hot tier that
   * opened its own connection) yourself.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.paths?.ctx.flush();
    await this.paths?.ctx.absent.close();
    await this.paths?.access.close();
  }

  /**
   * Resolves once the hot-tier updates that earlier calls started in the background (promotions
   * after misses, write-throughs after appends) have finished. Nothing needs it for correctness;
   * tests and graceful shutdowns do.
   */
  async flush(): Promise<void> {
    await this.paths?.ctx.flush();
  }

  /** The counters since the store was created, and the breaker's state. */
  stats(): TieredStoreStats {
    return this.metrics.snapshot(this.paths?.access.state ?? 'closed', this.pending.size);
  }

  /** Calls `listener` on every `event` (see `TieredStoreEvents`); returns a function that unsubscribes. */
  on<K extends TieredStoreEventName>(event: K, listener: TieredStoreListener<K>): () => void {
    return this.metrics.on(event, listener);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
  }
}

/** Creates a tiered store; see `TieredEventStoreOptions`. With only `warm`, it is the warm store. */
export function createTieredEventStore(options: TieredEventStoreOptions): TieredEventStore {
  return new TieredEventStore(options);
}
