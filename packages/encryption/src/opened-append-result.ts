import type { AppendResult, RecordedEvent } from '@strata/core';

/**
 * The inner store's append result, whose `events` are opened only when someone reads them. Reading
 * the inner result's `events` at once made every append build its recorded events (parsing each
 * stored payload back) and open them, for callers that hardly ever look. A prototype getter, as in
 * core's `withRecordedEvents`: not an own property, so the result compares equal to one without
 * events, and absent when the inner result has none (an idempotent retry).
 */
export class OpenedAppendResult implements AppendResult {
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  lastPosition: bigint;
  #inner: AppendResult | undefined;
  #open: (recorded: readonly RecordedEvent[]) => RecordedEvent[];
  #events: readonly RecordedEvent[] | undefined;

  constructor(inner: AppendResult, open: (recorded: readonly RecordedEvent[]) => RecordedEvent[]) {
    this.streamId = inner.streamId;
    this.firstVersion = inner.firstVersion;
    this.lastVersion = inner.lastVersion;
    this.lastPosition = inner.lastPosition;
    this.#inner = inner;
    this.#open = open;
  }

  get events(): readonly RecordedEvent[] | undefined {
    if (this.#inner !== undefined) {
      const recorded = this.#inner.events;
      this.#events = recorded === undefined ? undefined : this.#open(recorded);
      this.#inner = undefined;
    }
    return this.#events;
  }

  // Assignable like any optional field (a getter alone would throw in strict mode).
  set events(events: readonly RecordedEvent[] | undefined) {
    this.#inner = undefined;
    this.#events = events;
  }
}
