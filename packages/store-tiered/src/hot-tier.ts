import type { RecordedEvent } from '@strata/core';
import type {
  HotSnapshot,
  HotSnapshotRead,
  SnapshotChange,
  SnapshotPromoteOutcome,
  SnapshotWriteOutcome,
} from './hot-snapshot.js';

/** A `readStream` request, normalized: `toVersion` is `Number.MAX_SAFE_INTEGER` when open-ended. */
export interface HotReadRange {
  fromVersion: number;
  toVersion: number;
  limit: number | undefined;
  direction: 'forward' | 'backward';
}

/**
 * What the hot tier holds of one stream: every version from `fromVersion` to `toVersion`, no gap.
 * `verifiedAt` (epoch ms) is when the copy was last known to reach the stream's end: every append
 * that committed before that moment is in the copy.
 */
export interface HotCopyBounds {
  fromVersion: number;
  toVersion: number;
  verifiedAt: number;
}

/**
 * The answer to a hot read.
 * - `absent`: no copy. `dropped`: a copy was there but incomplete (a key expired, a bound did not
 *   match its events), so the read deleted it.
 * - `uncovered`: the copy starts after the requested `fromVersion`.
 * - `covered`: the copy holds the range's start; `events` are the copy's events of the range as
 *   far as the copy reaches (limit and direction applied against the copy's end), ascending.
 */
export type HotRead =
  | { kind: 'absent' }
  | { kind: 'dropped' }
  | { kind: 'uncovered'; copy: HotCopyBounds }
  | { kind: 'covered'; copy: HotCopyBounds; events: RecordedEvent[] };

/** How a copy is written: when it was verified, how long it lives, how long it may grow. */
export interface HotWrite {
  verifiedAt: number;
  ttlSeconds: number;
  /** A copy longer than this keeps only its newest events (its `fromVersion` moves up). */
  maxEvents: number;
}

/**
 * `stored`: the copy is now these events. `kept`: an intact copy reaching at least as far was kept.
 * `refused`: the stream is barred after a rewrite (see `invalidateRewritten`); nothing was stored.
 */
export type PromoteOutcome = 'stored' | 'kept' | 'refused';

/** What `HotTier.watchCopies` reports to. */
export interface CopyNotices {
  copied(streamId: string): void;
  live(): void;
  lapsed(): void;
}

/** A running `HotTier.watchCopies`; `close` stops it and closes its connection. */
export interface CopyWatch {
  close(): Promise<void>;
}

/**
 * `extended`: the copy ended where the append began and now ends at its last version.
 * `kept`: the copy already reached the append's last version. `dropped`: any other copy was
 * deleted. `absent`: there was no copy (none is created).
 */
export type ExtendOutcome = 'extended' | 'kept' | 'dropped' | 'absent';

/**
 * The cache in front of the warm store. Every method that depends on the copy's state is one atomic
 * step on the server, so racing writers and readers can only ever leave a complete, contiguous
 * copy or none. Implementations throw on any failure to reach their storage; the tiered store
 * counts that and falls back to the warm store.
 *
 * Every write is safe to apply late (after a timeout, or replayed): a promotion never replaces a
 * copy that reaches further, an extension only appends to a copy ending exactly where the
 * appended events begin, and deleting is always safe.
 */
export interface HotTier {
  /** The copy's events of `range` (see `HotRead`); refreshes the copy's TTL when `refreshTtlSeconds` is set. */
  read(streamId: string, range: HotReadRange, refreshTtlSeconds: number | undefined): Promise<HotRead>;
  /** The copy's bounds without its events; `undefined` when there is none. */
  peek(streamId: string): Promise<HotCopyBounds | undefined>;
  /**
   * `peek` of several streams in one round trip, answers in the order of `streamIds`. Optional:
   * without it the write-through looks at each copy on its own.
   */
  peekMany?(streamIds: readonly string[]): Promise<(HotCopyBounds | undefined)[]>;
  /**
   * Stores `events` (ascending, contiguous, non-empty, ending at the stream's end as of
   * `write.verifiedAt`) as the copy, unless an intact copy reaches at least as far (then that
   * copy's `verifiedAt` moves up to `write.verifiedAt`).
   */
  promote(streamId: string, events: readonly RecordedEvent[], write: HotWrite): Promise<PromoteOutcome>;
  /**
   * After an append of versions `afterVersion + 1..lastVersion`: appends `events` (exactly those
   * versions) to a copy that ends at `afterVersion`; keeps a copy that reaches `lastVersion`;
   * deletes any other. With `events` empty, a copy ending at `afterVersion` is deleted too.
   */
  extend(
    streamId: string,
    afterVersion: number,
    lastVersion: number,
    events: readonly RecordedEvent[],
    write: HotWrite,
  ): Promise<ExtendOutcome>;
  /** Moves `verifiedAt` up if the copy still ends at `toVersion`; true when it did. */
  confirm(streamId: string, toVersion: number, verifiedAt: number): Promise<boolean>;
  /**
   * Deletes everything the tier holds of the stream: its copy, and its snapshot copy for a tier
   * that keeps them (moving the snapshot generation on, see `promoteSnapshot`).
   */
  invalidate(streamId: string): Promise<void>;
  /**
   * Before one of the stream's events is rewritten in place: deletes the stream's copy and refuses
   * every promotion of the stream for `barSeconds`. Versions do not change in a rewrite, so no
   * version check tells an old copy from a new one, and a reader that read the warm store before the
   * rewrite committed must not put the old payload back. Optional: a tiered store over a hot tier
   * without it has no `rewriteEvent`.
   */
  invalidateRewritten?(streamId: string, barSeconds: number): Promise<void>;
  /**
   * The stream's snapshot copy, whether a writer is pending, and what `promoteSnapshot` compares.
   * The snapshot methods are optional: without them the tiered store's `snapshots` reads and
   * writes the warm snapshot store only. Refreshes the TTL when `refreshTtlSeconds` is set.
   */
  readSnapshot?(streamId: string, refreshTtlSeconds: number | undefined): Promise<HotSnapshotRead>;
  /**
   * A snapshot writer's first step, before it writes warm: the copy stops being served, the
   * generation moves on, and `token` is pending for `leaseMs` (a writer that dies is not waited for
   * longer).
   */
  beginSnapshotWrite?(streamId: string, token: string, leaseMs: number, ttlSeconds: number): Promise<void>;
  /**
   * A snapshot writer's last step, after its warm write: `token` stops pending, the generation
   * moves on, and the copy becomes the newest snapshot overall only if this writer knows it (it was
   * alone, within its lease, and a copy was there when it began); otherwise there is none.
   */
  endSnapshotWrite?(
    streamId: string,
    token: string,
    change: SnapshotChange,
    ttlSeconds: number,
  ): Promise<SnapshotWriteOutcome>;
  /**
   * Stores `snapshot` (the unfiltered warm answer, `null` for none, read after the `seen` read)
   * as the copy, unless the generation moved on since `seen`, a writer is pending, the read is too
   * old, or a copy at least as new is there.
   */
  promoteSnapshot?(
    streamId: string,
    seen: string,
    snapshot: HotSnapshot | null,
    ttlSeconds: number,
  ): Promise<SnapshotPromoteOutcome>;
  /**
   * Tells `notices` of every copy a promotion stores from now on, by any process sharing this tier:
   * `copied` soon after the copy is stored, `live` once every later one will be told, `lapsed` as
   * soon as some may be missed (the connection dropped or stopped answering; `live` follows when
   * it is back). The
   * tiered store then skips the look at copies it knows are absent (see `AbsentCopies`). Optional,
   * and it may return `undefined` where it cannot (a Redis Cluster): every append then looks.
   */
  watchCopies?(notices: CopyNotices): CopyWatch | undefined;
  /** Resolves when the hot tier answers; the circuit breaker's probe. */
  ping(): Promise<void>;
  /**
   * This tier as one warm storage sees it (`storageId`: the warm store's `storageId()`): its copies
   * are kept apart from every other storage's, so a copy read from one warm database is never
   * served, extended or confirmed for another that shares the cache. The tiered store calls it
   * once and uses only the tier it returns.
   */
  forStorage(storageId: string): HotTier;
}
