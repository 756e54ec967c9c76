import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
} from '@strata/core';

/** What a store was asked for, cumulative. */
export interface WarmCounts {
  /** readStream, readStreams, readAll and streamVersion calls. */
  reads: number;
  /** Events those reads returned: rows of the events table. */
  eventRows: number;
  /** streamVersion calls: one primary-key row of the streams table each. */
  versionLookups: number;
  appends: number;
}

export const NO_COUNTS: WarmCounts = { reads: 0, eventRows: 0, versionLookups: 0, appends: 0 };

export function subtractCounts(after: WarmCounts, before: WarmCounts): WarmCounts {
  return {
    reads: after.reads - before.reads,
    eventRows: after.eventRows - before.eventRows,
    versionLookups: after.versionLookups - before.versionLookups,
    appends: after.appends - before.appends,
  };
}

export function addCounts(a: WarmCounts, b: WarmCounts): WarmCounts {
  return {
    reads: a.reads + b.reads,
    eventRows: a.eventRows + b.eventRows,
    versionLookups: a.versionLookups + b.versionLookups,
    appends: a.appends + b.appends,
  };
}

/**
 * Wraps the warm store to count what the tiered store takes from it: how many calls, and how many
 * rows they return. The warm-alone side of a comparison goes through the same wrapper.
 */
export class CountingEventStore implements EventStore {
  private counts: WarmCounts = { ...NO_COUNTS };
  /** The inner store's: a tiered store with a hot tier needs its warm store's storage id. */
  readonly storageId?: () => Promise<string>;

  constructor(private readonly inner: EventStore) {
    const own = inner.storageId;
    if (own !== undefined) this.storageId = () => own.call(inner);
  }

  snapshot(): WarmCounts {
    return { ...this.counts };
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.counts.appends++;
    return this.inner.append(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamId, options);
    this.counts.reads++;
    this.counts.eventRows += events.length;
    return events;
  }

  async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    const result = await this.inner.readStreams(streamIds, options);
    this.counts.reads++;
    for (const events of result.values()) this.counts.eventRows += events.length;
    return result;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(options);
    this.counts.reads++;
    this.counts.eventRows += events.length;
    return events;
  }

  async streamVersion(streamId: string): Promise<number> {
    const version = await this.inner.streamVersion(streamId);
    this.counts.reads++;
    this.counts.versionLookups++;
    return version;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
