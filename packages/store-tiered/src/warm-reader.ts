import {
  type EventStore,
  type NormalizedReadStream,
  type RecordedEvent,
  StoreUnavailableError,
  StrataError,
} from '@strata/core';
import type { ColdTier } from './cold-tier.js';
import { answer, ascending, isContiguous, OPEN_END, toReadOptions } from './read-range.js';
import type { TieredStoreMetrics } from './tiered-store-metrics.js';

/**
 * Reads the warm store and, when a cold tier is configured, the archived head of a stream that the
 * warm store no longer holds. Where the warm store begins is learned from its answer: versions are
 * contiguous, so an answer starting above the requested `fromVersion` means the versions below it
 * were archived. An empty answer is ambiguous (a missing stream, or a range archived whole), and
 * only then the warm store's `streamVersion` decides.
 */
export class WarmReader {
  constructor(
    readonly warm: EventStore,
    private readonly cold: ColdTier | undefined,
    private readonly metrics: TieredStoreMetrics,
  ) {}

  /** The answer to `range`, in the order it asks for. */
  async readStream(streamId: string, range: NormalizedReadStream): Promise<RecordedEvent[]> {
    const events = await this.warm.readStream(streamId, toReadOptions(range));
    if (this.cold === undefined) return events;
    return this.withArchivedHead(streamId, range, events);
  }

  /** Every id's events from `fromVersion` on, in one warm call. */
  async readStreams(streamIds: string[], fromVersion: number): Promise<Map<string, RecordedEvent[]>> {
    const result = await this.warm.readStreams(streamIds, { fromVersion });
    if (this.cold === undefined) return result;
    const range: NormalizedReadStream = {
      fromVersion,
      toVersion: OPEN_END,
      limit: undefined,
      direction: 'forward',
    };
    await Promise.all(
      streamIds.map(async (id) => {
        result.set(id, await this.withArchivedHead(id, range, result.get(id) ?? []));
      }),
    );
    return result;
  }

  private async withArchivedHead(
    streamId: string,
    range: NormalizedReadStream,
    warmAnswer: RecordedEvent[],
  ): Promise<RecordedEvent[]> {
    if (range.limit === 0) return warmAnswer;
    const held = ascending(warmAnswer, range);
    // The newest `limit` events are all warm: the archived head cannot be among them.
    if (range.direction === 'backward' && range.limit !== undefined && held.length >= range.limit)
      return warmAnswer;
    let headEnd: number;
    const lowest = held[0]?.version;
    if (lowest !== undefined) {
      if (lowest <= range.fromVersion) return warmAnswer;
      headEnd = lowest - 1;
    } else {
      headEnd = Math.min(range.toVersion, await this.warm.streamVersion(streamId));
      if (headEnd < range.fromVersion) return warmAnswer;
    }
    // Only what the answer can use: the first `limit` versions forward, the newest missing backward.
    let headStart = range.fromVersion;
    if (range.limit !== undefined) {
      if (range.direction === 'forward') headEnd = Math.min(headEnd, range.fromVersion + range.limit - 1);
      else headStart = Math.max(headStart, headEnd - (range.limit - held.length) + 1);
    }
    const archived = await this.readCold(streamId, headStart, headEnd);
    return answer([...archived, ...held], range);
  }

  private async readCold(streamId: string, fromVersion: number, toVersion: number): Promise<RecordedEvent[]> {
    const cold = this.cold!;
    let events: RecordedEvent[];
    try {
      events = await cold.readStream(streamId, { fromVersion, toVersion });
    } catch (error) {
      if (StrataError.isInstance(error)) throw error;
      throw new StoreUnavailableError('cold', error);
    }
    // A partial archive must not pass for the stream's history.
    if (
      events.length !== toVersion - fromVersion + 1 ||
      events[0]?.version !== fromVersion ||
      !isContiguous(events)
    ) {
      const got =
        events.length === 0 ? 'none' : `${events[0]?.version}..${events[events.length - 1]?.version}`;
      throw new StoreUnavailableError(
        'cold',
        new Error(
          `stream "${streamId}": the warm store holds it from version ${toVersion + 1}, ` +
            `but the cold tier returned versions ${got} for ${fromVersion}..${toVersion}`,
        ),
      );
    }
    this.metrics.coldRead(streamId, fromVersion, toVersion, events.length);
    return events;
  }
}
