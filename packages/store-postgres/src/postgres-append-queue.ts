import type { AppendResult, PreparedAppend } from '@strata/core';

/** One `append` call waiting for, or taking part in, a group write. */
export interface QueuedAppend {
  readonly append: PreparedAppend;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  /** Set after a group failed on a unique key: the append is written in a group of its own. */
  solo: boolean;
  /** Group writes this append took part in that had to be run again. */
  attempts: number;
}

/** Writes one group; settles or requeues every append in it and never rejects. */
export type GroupWriter = (group: QueuedAppend[], queue: AppendQueue) => Promise<void>;

/**
 * Groups concurrent appends made through one store into one server call and one transaction. An
 * append waits only while an earlier group is in flight, so a lone caller pays no extra latency, and
 * N callers share one round trip and one commit. Two appends with a common event id never share a
 * group (the later one must see the earlier one's ids, to resolve an idempotent retry).
 */
export class AppendQueue {
  private pending: QueuedAppend[] = [];
  private running = 0;
  private pumpScheduled = false;
  private drained: (() => void)[] = [];

  constructor(
    private readonly write: GroupWriter,
    private readonly maxGroupEvents: number,
    private readonly maxGroupsInFlight: number,
  ) {}

  push(append: PreparedAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ append, resolve, reject, solo: false, attempts: 0 });
      if (this.running === 0 && !this.pumpScheduled) this.pump();
      else this.schedulePump();
    });
  }

  /** Puts appends back at the head of the queue, in their order, to run in a later group. */
  requeue(appends: QueuedAppend[]): void {
    this.pending.unshift(...appends);
  }

  /** Resolves once every queued append has settled. */
  drain(): Promise<void> {
    if (this.running === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /**
   * While a group is in flight, the next one forms a turn of the event loop later, not at the first
   * append that finds a free slot: by then every appender the last group released has appended
   * again, however many promise layers (a tiered, upcasting or encryption wrapper, the caller's own
   * awaits) sit between it and the store, and they share one transaction. Formed at once, groups
   * depended on those layers: measured with 8 appenders on MariaDB, 0.36 commits per append on
   * the bare store and 0.47 through the tiered store; a turn later, 0.20 to 0.25 and 0.35. A lone
   * appender (nothing in flight, no group about to form) is still sent at once. An append that
   * finds the last group settled but the next one not yet formed joins it too: appenders coming
   * back through several layers arrive after the settled group's slot is free, and each first of
   * them used to go alone, splitting the appenders into two alternating halves (8 appenders behind
   * two extra awaits: 0.67 transactions per append against 0.375 bare).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxGroupsInFlight && this.pending.length > 0) {
      const group = this.takeGroup();
      this.running++;
      void this.write(group, this)
        // A writer settles every append itself; this only guards against a bug leaving callers hanging
        // (settling a promise twice is a no-op).
        .catch((error: unknown) => {
          for (const queued of group) queued.reject(error);
        })
        .finally(() => {
          this.running--;
          this.schedulePump();
          if (this.running === 0 && this.pending.length === 0) {
            for (const resolve of this.drained.splice(0)) resolve();
          }
        });
    }
  }

  private takeGroup(): QueuedAppend[] {
    const first = this.pending.shift()!;
    if (first.solo) return [first];
    const group = [first];
    const ids = new Set(first.append.events.map((event) => event.id));
    let events = first.append.events.length;
    const rest: QueuedAppend[] = [];
    // Appends to one stream keep their call order: once one waits for a later group, so do the rest.
    const deferredStreams = new Set<string>();
    for (const next of this.pending) {
      const size = next.append.events.length;
      if (
        next.solo ||
        events + size > this.maxGroupEvents ||
        deferredStreams.has(next.append.streamId) ||
        next.append.events.some((e) => ids.has(e.id))
      ) {
        deferredStreams.add(next.append.streamId);
        rest.push(next);
        continue;
      }
      group.push(next);
      events += size;
      for (const event of next.append.events) ids.add(event.id);
    }
    this.pending = rest;
    return group;
  }
}
