/** More pending streams than this and the oldest are forgotten (their copies still age out by TTL). */
export const MAX_PENDING_INVALIDATIONS = 10_000;

/**
 * Streams whose hot copy this store may have left stale (an append reached the warm store but not
 * the hot tier) and could not delete. Until each is deleted, this store reads those streams from
 * the warm store; once the hot tier answers, they are deleted before anything else uses it.
 * A generation per entry keeps a flush from forgetting a stream that failed again meanwhile.
 */
export class PendingInvalidations {
  private readonly entries = new Map<string, number>();
  private generation = 0;

  get size(): number {
    return this.entries.size;
  }

  has(streamId: string): boolean {
    return this.entries.has(streamId);
  }

  add(streamId: string): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, ++this.generation);
    if (this.entries.size > MAX_PENDING_INVALIDATIONS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
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
