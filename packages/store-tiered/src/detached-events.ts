import type { AppendResult, RecordedEvent } from '@strata/core';

/**
 * Copies of `events` sharing no object with them. What a read or an append returns belongs to its
 * caller (core's `EventStore` contract), who may change it (`withEncryption` opens fields in place);
 * the hot tier is written in the background, after the caller has its answer, so what it will be
 * written from is copied before the answer goes out. Only on the paths that promote or extend a
 * copy: a hit decodes new objects from the copy's JSON anyway.
 */
export function detachedEvents(events: readonly RecordedEvent[]): RecordedEvent[] {
  const copies = new Array<RecordedEvent>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    copies[i] = {
      ...event,
      data: copyJson(event.data),
      metadata: copyJson(event.metadata) as Record<string, unknown>,
      occurredAt: new Date(event.occurredAt.getTime()),
      recordedAt: new Date(event.recordedAt.getTime()),
    };
  }
  return copies;
}

function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // A `__proto__` key of JSON data is an own property: define it, never assign it.
    Object.defineProperty(copy, key, {
      value: copyJson((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * The warm store's append result as the caller gets it: its `events` (built on first access, as the
 * warm store's are) are copies, so the write-through that reads the warm result's own events in
 * the background never sees what the caller did to them.
 */
export class DetachedAppendResult implements AppendResult {
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  lastPosition: bigint;
  #inner: AppendResult | undefined;
  #events: readonly RecordedEvent[] | undefined;

  constructor(inner: AppendResult) {
    this.streamId = inner.streamId;
    this.firstVersion = inner.firstVersion;
    this.lastVersion = inner.lastVersion;
    this.lastPosition = inner.lastPosition;
    this.#inner = inner;
  }

  get events(): readonly RecordedEvent[] | undefined {
    if (this.#inner !== undefined) {
      const recorded = this.#inner.events;
      this.#events = recorded === undefined ? undefined : detachedEvents(recorded);
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
