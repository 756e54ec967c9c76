import type { RecordedEvent } from '@strata/core';

/**
 * The runner's next page, read while it applies the current one: on a server the read's round
 * trip then overlaps the batch's writes and commit instead of following them. A page read ahead is
 * only used by the step right after, and only when that step reads after the same position (its
 * checkpoint moved exactly to the current page's end): the page is then what a read at that moment
 * could have returned, the events after that position in global order, so order and exactly-once
 * are those of the checkpoint, as without it. Anything else (a retry, a conflict, a reload, a new
 * run) drops it.
 */
export class PagePrefetch {
  private ahead: { after: bigint; page: Promise<RecordedEvent[]> } | undefined;

  constructor(private readonly read: (after: bigint) => Promise<RecordedEvent[]>) {}

  /** The page after `after`: the one read ahead for that position, else a fresh read. */
  next(after: bigint): Promise<RecordedEvent[]> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead !== undefined && ahead.after === after ? ahead.page : this.read(after);
  }

  /** Whether `next(after)` would take the page read ahead rather than read afresh. */
  holds(after: bigint): boolean {
    return this.ahead?.after === after;
  }

  /** Starts reading the page after `after`; a failure surfaces only if `next` takes that page. */
  readAhead(after: bigint): void {
    const page = this.read(after);
    page.catch(() => {});
    this.ahead = { after, page };
  }

  /** Drops a page read ahead, unused. */
  clear(): void {
    this.ahead = undefined;
  }
}
