import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  StoreClosedError,
  ValidationError,
} from '@strata/core';
import { upcastEvents } from './upcast-event.js';
import type { UpcasterChain } from './upcaster-chain.js';

/**
 * `store`, read through `chain`: every read returns events at their type's current schema version,
 * and every append stamps it. Upcasting happens on read and leaves the stored events as they are.
 * Closing the wrapper leaves `store` open: close it yourself.
 */
export function withUpcasting(store: EventStore, chain: UpcasterChain): EventStore {
  return new UpcastingEventStore(store, chain);
}

/** Marks the wrapper by a shared symbol, not `instanceof`: a program may hold two copies of this package. */
const UPCASTING_STORE = Symbol.for('strata.upcasting.store');

/** True for a store returned by `withUpcasting`: its reads are upcast, so they do not show what is stored. */
export function isUpcastingStore(store: EventStore): boolean {
  return (store as { [UPCASTING_STORE]?: boolean })[UPCASTING_STORE] === true;
}

/**
 * Has no `rewriteEvent`, even over a store that has one: its reads show upcast events, so a rewrite
 * guarded on what it read would name a type and version that are not stored. Eager migrations run
 * on the wrapped store (`migrateEvents`).
 */
class UpcastingEventStore implements EventStore {
  readonly [UPCASTING_STORE] = true;
  storageId?: () => Promise<string>;
  /** The wrapped store's, when it has one: upcasting changes payloads, never positions. */
  lastPosition?: () => Promise<bigint>;
  private closed = false;

  constructor(
    private readonly inner: EventStore,
    private readonly chain: UpcasterChain,
  ) {
    if (inner.storageId !== undefined) {
      this.storageId = () => {
        this.assertOpen();
        return inner.storageId!();
      };
    }
    if (inner.lastPosition !== undefined) {
      // Async, so a closed wrapper rejects as its other methods do.
      this.lastPosition = async () => {
        this.assertOpen();
        return inner.lastPosition!();
      };
    }
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    // Every event it writes is current, so the result's events need no upcasting: pass it on as it is.
    return this.inner.append(streamId, this.stamped(events), options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const events = await this.inner.readStream(streamId, options);
    return upcastEvents(this.chain, events, options?.direction === 'backward');
  }

  async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    this.assertOpen();
    const streams = await this.inner.readStreams(streamIds, options);
    for (const [streamId, events] of streams) {
      const upcast = upcastEvents(this.chain, events);
      if (upcast !== events) streams.set(streamId, upcast);
    }
    return streams;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stored = this.storedTypes(options);
    if (!this.chain.splits || !Array.isArray(options?.types)) {
      return upcastEvents(this.chain, await this.inner.readAll(stored));
    }
    return this.readAllParts(stored!, new Set(options.types));
  }

  /**
   * A type-filtered page when a stored event of a name it reads may split into parts of other
   * types: those parts are left out. A stored event that leaves no part would make the page short
   * while the log goes on, and a consumer would stop there, so the page is filled with the next
   * stored events until it holds `limit` events or the log ends. Every part of one stored event
   * is on one page, so a page may hold more than `limit` events.
   */
  private async readAllParts(stored: ReadAllOptions, wanted: ReadonlySet<string>): Promise<RecordedEvent[]> {
    const { limit } = stored;
    const result: RecordedEvent[] = [];
    let after = stored.after;
    for (;;) {
      const asked = limit === undefined ? undefined : limit - result.length;
      const page = await this.inner.readAll({
        ...stored,
        ...(after === undefined ? {} : { after }),
        ...(asked === undefined ? {} : { limit: asked }),
      });
      for (const event of upcastEvents(this.chain, page)) if (wanted.has(event.type)) result.push(event);
      if (asked === undefined || page.length < asked || result.length >= limit!) return result;
      after = page[page.length - 1]!.position;
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    return this.inner.streamVersion(streamId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError('UpcastingEventStore');
  }

  /**
   * The events with their current schema version stamped; refuses old versions and old type names
   * before anything is written. Anything malformed is left for the store's own validation.
   */
  private stamped(events: NewEvent[]): NewEvent[] {
    if (!Array.isArray(events)) return events;
    let stamped: NewEvent[] | undefined;
    events.forEach((event, i) => {
      if (typeof event !== 'object' || event === null) return;
      const currentVersion = this.chain.current.get(event.type);
      if (currentVersion === undefined) {
        const renamedTo = this.chain.renamedTo(event.type);
        if (renamedTo !== undefined) {
          throw new ValidationError(
            `events[${i}].type`,
            `"${event.type}" is an old name of "${renamedTo}"; append "${renamedTo}" at its current schema version ${this.chain.current.get(renamedTo)}`,
          );
        }
        return;
      }
      if (event.schemaVersion === currentVersion) return;
      if (event.schemaVersion !== undefined) {
        throw new ValidationError(
          `events[${i}].schemaVersion`,
          `"${event.type}" is at schema version ${currentVersion}; an event at ${event.schemaVersion} is not appended (upcast it first)`,
        );
      }
      stamped ??= [...events];
      stamped[i] = { ...event, schemaVersion: currentVersion };
    });
    return stamped ?? events;
  }

  /** The filter over stored names: a current type also matches the old names that upcast to it. */
  private storedTypes(options: ReadAllOptions | undefined): ReadAllOptions | undefined {
    const types = options?.types;
    if (!Array.isArray(types)) return options;
    let aliased = false;
    types.forEach((type, i) => {
      const renamedTo = this.chain.renamedTo(type);
      if (renamedTo !== undefined) {
        throw new ValidationError(
          `options.types[${i}]`,
          `"${type}" is an old name of "${renamedTo}": its events are read as "${renamedTo}", so filter by that`,
        );
      }
      if (this.chain.storedNamesOf(type).length > 1) aliased = true;
    });
    if (!aliased) return options;
    const names = new Set(types.flatMap((type) => this.chain.storedNamesOf(type)));
    return { ...options, types: [...names] };
  }
}
