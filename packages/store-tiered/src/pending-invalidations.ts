export const DEFAULT_MAX_PENDING_INVALIDATIONS = 10_000;

/**
 * Streams whose hot copy this store may have left stale (an append reached the warm store but not
 * the hot tier) and could not delete. Until each is deleted, this store reads those streams from
 * the warm store; once the hot tier answers, they are deleted before anything else uses it.
 * A generation per entry keeps a flush from forgetting a stream that failed again meanwhile.
 *
 * Memory is bounded: past `max` streams the oldest is forgotten, and its copy may stay behind.
 * Only bounded reads could be served such a copy (strict reads check every copy's version), and
 * only within `maxStalenessMs` of the append it misses: a copy verified later holds that append.
 * So while a stream was forgotten less than `maxStalenessMs` ago, bounded reads check every copy
 * (`forgotWithin`); after that, the staleness bound alone keeps every forgotten stream correct.
 */
export class PendingInvalidations {
  private readonly entries = new Map<string, number>();
  private generation = 0;
  private forgottenAt: number | undefined;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(streamId: string): boolean {
    return this.entries.has(streamId);
  }

  /** Remembers `streamId` (at `now`, epoch ms); returns whether the oldest stream was forgotten for room. */
  add(streamId: string, now: number): boolean {
    this.entries.delete(streamId);
    this.entries.set(streamId, ++this.generation);
    if (this.entries.size <= this.max) return false;
    const oldest = this.entries.keys().next().value;
    if (oldest !== undefined) this.entries.delete(oldest);
    this.forgottenAt = now;
    return true;
  }

  /** Whether a stream was forgotten within `windowMs` before `now`. */
  forgotWithin(now: number, windowMs: number): boolean {
    return this.forgottenAt !== undefined && now - this.forgottenAt <= windowMs;
  }

  /** The pending streams and their generations, oldest first. */
  list(): [string, number][] {
    return [...this.entries];
  }

  /** Forgets `streamId` if nothing added it again since `generation`. */
  done(streamId: string, generation: number): void {
    if (this.entries.get(streamId) === generation) this.entries.delete(streamId);
  }
}
