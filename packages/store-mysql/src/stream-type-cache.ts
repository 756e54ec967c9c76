/**
 * Stream types by stream id. A stream's type never changes after its first append, so a cached
 * entry is never stale; the cache only spares the append a read of the streams table. Bounded:
 * the oldest entries go first.
 */
export class StreamTypeCache {
  private readonly types = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): string | undefined {
    return this.types.get(streamId);
  }

  /** Call only with types read from, or committed to, the database. */
  set(streamId: string, streamType: string): void {
    if (this.types.has(streamId)) return;
    if (this.types.size >= this.capacity) {
      const oldest = this.types.keys().next();
      if (oldest.done !== true) this.types.delete(oldest.value);
    }
    this.types.set(streamId, streamType);
  }
}
