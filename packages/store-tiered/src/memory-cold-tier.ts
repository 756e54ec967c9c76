import type { RecordedEvent } from '@strata/core';
import type { ColdRange, ColdTier } from './cold-tier.js';

/**
 * A cold tier in memory, for tests and prototypes: `archive` the prefix of a stream you removed
 * from the warm store. Events are kept as JSON text, so a reader never shares objects with it.
 */
export class MemoryColdTier implements ColdTier {
  private readonly streams = new Map<string, Map<number, string>>();

  archive(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      let stream = this.streams.get(event.streamId);
      if (stream === undefined) {
        stream = new Map();
        this.streams.set(event.streamId, stream);
      }
      stream.set(event.version, JSON.stringify({ ...event, position: event.position.toString() }));
    }
  }

  async readStream(streamId: string, range: ColdRange): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId);
    if (stream === undefined) return [];
    const events: RecordedEvent[] = [];
    for (const [version, text] of [...stream].sort(([a], [b]) => a - b)) {
      if (version < range.fromVersion || version > range.toVersion) continue;
      const parsed = JSON.parse(text) as Omit<RecordedEvent, 'position' | 'occurredAt' | 'recordedAt'> & {
        position: string;
        occurredAt: string;
        recordedAt: string;
      };
      events.push({
        ...parsed,
        position: BigInt(parsed.position),
        occurredAt: new Date(parsed.occurredAt),
        recordedAt: new Date(parsed.recordedAt),
      });
    }
    return events;
  }
}

export function createMemoryColdTier(): MemoryColdTier {
  return new MemoryColdTier();
}
