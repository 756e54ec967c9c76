import type { RecordedEvent } from '@strata/core';

/** How many streams' trails are kept; the least recently extended are forgotten first. */
export const MAX_TRAILS = 64;

/**
 * The full pages a forward reader (`iterateStream`, so `AggregateRepository.load`) has read of a
 * stream from the warm store: no single page of such a reader is known to reach the stream's end
 * (a page of exactly `limit` events may be the last), so none alone can become the copy. The page
 * that proves the end (a shorter one, or an empty one right after the trail) makes the trail plus
 * itself the copy. Stored versions never change, so a trail is never wrong, only possibly old;
 * the end proof always comes from the last read. Memory is bounded: each trail holds at most
 * `maxEvents` (the newest, as a copy would), all trails together at most `budget` events.
 */
export class PageTrails {
  private readonly trails = new Map<string, RecordedEvent[]>();
  private held = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly budget = 4 * maxEvents,
    private readonly maxTrails = MAX_TRAILS,
  ) {}

  /** The trail of `streamId` that ends right before `fromVersion`, or `[]`. */
  before(streamId: string, fromVersion: number): readonly RecordedEvent[] {
    const trail = this.trails.get(streamId);
    const last = trail?.[trail.length - 1];
    return trail !== undefined && last !== undefined && last.version === fromVersion - 1 ? trail : [];
  }

  /** Keeps `events` (ascending, contiguous) as the stream's trail, its newest `maxEvents` if longer. */
  keep(streamId: string, events: readonly RecordedEvent[]): void {
    this.forget(streamId);
    const kept = events.length > this.maxEvents ? events.slice(-this.maxEvents) : [...events];
    if (kept.length === 0 || kept.length > this.budget) return;
    this.trails.set(streamId, kept);
    this.held += kept.length;
    for (const [oldest, trail] of this.trails) {
      if (this.held <= this.budget && this.trails.size <= this.maxTrails) return;
      this.trails.delete(oldest);
      this.held -= trail.length;
    }
  }

  forget(streamId: string): void {
    const trail = this.trails.get(streamId);
    if (trail === undefined) return;
    this.trails.delete(streamId);
    this.held -= trail.length;
  }
}
