import type { AppendResult, RecordedEvent } from './event.js';

/**
 * Gives an append's result its `events`, built by `build` on first access and kept from then on.
 *
 * Adapter authors: call it on every append that wrote events, never on an idempotent retry.
 * `build` should parse each event's `dataJson` and `metadataJson` from `prepareAppend` rather than
 * reuse the caller's objects, so the events are copies that later changes to the input cannot reach.
 *
 * `events` is not an own enumerable property: the result still compares equal (`toEqual`) to one
 * without events, such as a retry's, and a spread (`{ ...result }`) drops it, so a wrapper passes
 * the result on as it is. Returns a new object with the same four fields.
 */
export function withRecordedEvents(result: AppendResult, build: () => RecordedEvent[]): AppendResult {
  return new LazyEventsAppendResult(result, build);
}

/**
 * A class, not `Object.defineProperty` on the caller's object: a prototype getter and a private
 * field keep one object shape for every result, where defining a property per append cost
 * hundreds of nanoseconds (a slow-path runtime call, and a new hidden class per closure).
 */
class LazyEventsAppendResult implements AppendResult {
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  lastPosition: bigint;
  #build: (() => RecordedEvent[]) | undefined;
  #events: readonly RecordedEvent[] | undefined;

  constructor(result: AppendResult, build: () => RecordedEvent[]) {
    this.streamId = result.streamId;
    this.firstVersion = result.firstVersion;
    this.lastVersion = result.lastVersion;
    this.lastPosition = result.lastPosition;
    this.#build = build;
  }

  get events(): readonly RecordedEvent[] | undefined {
    if (this.#build !== undefined) {
      this.#events = this.#build();
      this.#build = undefined;
    }
    return this.#events;
  }

  // Assignable like any optional field (a getter alone would throw in strict mode).
  set events(events: readonly RecordedEvent[] | undefined) {
    this.#build = undefined;
    this.#events = events;
  }
}
