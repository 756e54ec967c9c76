/**
 * The versions this store's own appends reached in the last `windowMs`, so that a bounded read
 * never serves a copy older than the caller's own append (read-your-writes), and the versions its
 * refused appends were told of (a `ConcurrencyError`'s `actualVersion`), so that the caller's
 * reload is not served a copy older than what refused it. Older entries are not needed: by then
 * the staleness bound alone guarantees those versions are visible.
 */
export class RecentWrites {
  private readonly entries = new Map<string, { version: number; at: number }>();

  constructor(private readonly windowMs: number) {}

  record(streamId: string, version: number, at: number): void {
    this.prune(at);
    const existing = this.entries.get(streamId);
    this.entries.delete(streamId);
    this.entries.set(streamId, { version: Math.max(version, existing?.version ?? 0), at });
  }

  /** The highest version recorded for the stream within the window; 0 when none. */
  versionOf(streamId: string, now: number): number {
    const entry = this.entries.get(streamId);
    if (entry === undefined) return 0;
    if (now - entry.at > this.windowMs) {
      this.entries.delete(streamId);
      return 0;
    }
    return entry.version;
  }

  private prune(now: number): void {
    // Entries are in insertion order, which is time order: stop at the first young one.
    for (const [streamId, entry] of this.entries) {
      if (now - entry.at <= this.windowMs) return;
      this.entries.delete(streamId);
    }
  }
}
