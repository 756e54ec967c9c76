import type { CopyNotices, CopyWatch, HotTier } from './hot-tier.js';

/** How many streams are remembered as having no copy; the least recently recorded are forgotten first. */
export const MAX_ABSENT_COPIES = 10_000;

/**
 * How long a stream is remembered as having no copy. Notices keep the memory right while their
 * connection is up, and the Redis hot tier drops a connection that stops answering its heartbeat
 * within about a second. This bounds what nothing can detect: a notice a promotion could not send
 * (a publisher barred from the channel, a process of a version without notices). A copy stored
 * that way is left behind for at most this long (the protocol tolerates that, see `WriteThrough`),
 * never served wrong.
 */
export const ABSENT_COPY_TRUST_MS = 30_000;

/**
 * The streams this store knows have no hot copy, so that an append to one of them skips the look
 * at the copy (a round trip per append that, on a busy machine, costs the warm store's commits
 * CPU: issue 12 measured it at 15-25% of the append rate on two cores).
 *
 * A stream is known to have none after its first append (no copy can exist before that commit,
 * see `WriteThrough`) and after a look that found none, and stays known until a notice says a
 * copy was stored (by any process: `HotTier.watchCopies`), this store promotes it itself, the
 * notices lapse, or `ABSENT_COPY_TRUST_MS` pass. Facts are recorded only while notices are live,
 * and only if no notice for the stream and no lapse came between the moment the fact was true
 * (`mark`) and its recording: a notice that overtook the answer it contradicts is never lost.
 * Without notices (a hot tier without `watchCopies`, or a Redis Cluster) nothing is known, and
 * every append looks.
 */
export class AbsentCopies implements CopyNotices {
  private readonly recordedAt = new Map<string, number>();
  /** The sequence number of each stream's latest notice (or own promotion), the newest kept. */
  private readonly noticedAt = new Map<string, number>();
  /** Marks below this may predate a notice no longer kept, or the last lapse: refused. */
  private refusedBelow = 0;
  private sequence = 0;
  private isLive = false;
  private watch: CopyWatch | undefined;
  private listening = false;
  private asked = false;
  private closed = false;

  constructor(
    /** Asks for the hot tier (which calls `listen`) without waiting for it; failures are retried later. */
    private readonly reachHot: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts listening to `hot`'s notices, once; a tier without them leaves nothing known. */
  listen(hot: HotTier): void {
    if (this.listening || this.closed) return;
    this.listening = true;
    this.watch = hot.watchCopies?.(this);
  }

  /**
   * To take before the moment a stream is seen without a copy; -1 when nothing may be recorded.
   * The first one starts the notices, so that a store that only appends (and so never asks the hot
   * tier anything before a stream's second append) knows about streams from its first appends on.
   */
  mark(): number {
    if (!this.asked) {
      this.asked = true;
      this.reachHot();
    }
    return this.isLive ? this.sequence : -1;
  }

  /** Records that `streamId` had no copy at `mark`, unless notices lapsed, or one came for it, since. */
  record(streamId: string, mark: number): void {
    if (mark < this.refusedBelow || !this.isLive) return;
    if ((this.noticedAt.get(streamId) ?? -1) > mark) return;
    this.recordedAt.delete(streamId);
    this.recordedAt.set(streamId, this.now());
    if (this.recordedAt.size > MAX_ABSENT_COPIES) this.recordedAt.delete(oldestKey(this.recordedAt)!);
  }

  /** Whether the stream is known to have no copy now. */
  has(streamId: string): boolean {
    const at = this.recordedAt.get(streamId);
    if (at === undefined) return false;
    if (this.now() - at < ABSENT_COPY_TRUST_MS) return true;
    this.recordedAt.delete(streamId);
    return false;
  }

  /** Before this store stores a copy itself: the stream may have one from now on. */
  forget(streamId: string): void {
    this.sequence++;
    this.recordedAt.delete(streamId);
    this.noticedAt.delete(streamId);
    this.noticedAt.set(streamId, this.sequence);
    if (this.noticedAt.size > MAX_ABSENT_COPIES) {
      const oldest = oldestKey(this.noticedAt)!;
      this.refusedBelow = Math.max(this.refusedBelow, this.noticedAt.get(oldest)!);
      this.noticedAt.delete(oldest);
    }
  }

  copied(streamId: string): void {
    this.forget(streamId);
  }

  live(): void {
    if (this.closed) return;
    this.isLive = true;
  }

  lapsed(): void {
    this.sequence++;
    this.refusedBelow = this.sequence;
    this.isLive = false;
    this.recordedAt.clear();
    this.noticedAt.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.lapsed();
    await this.watch?.close();
  }
}

function oldestKey(map: Map<string, number>): string | undefined {
  return map.keys().next().value;
}
