import type { RecordedEvent } from './event.js';
import type { PreparedAppend } from './prepare-append.js';

/** Where a written batch landed: what an adapter knows once the batch is written. */
export interface WrittenBatch {
  /** The stream's type as stored: the first append of a stream fixes it. */
  streamType: string;
  firstVersion: number;
  /** The batch's last position; the others precede it `positionStep` apart. */
  lastPosition: bigint;
  /** Distance between consecutive positions of one batch; defaults to 1. */
  positionStep?: bigint;
  /** Epoch milliseconds, as stored. */
  recordedAt: number;
}

/**
 * The events of a written batch exactly as reads will return them, without reading them: for
 * `AppendResult.events` (see `withRecordedEvents`) and hooks that run inside the append. Data and
 * metadata are parsed again from the prepared JSON, so they are copies that later changes to the
 * caller's input cannot reach.
 */
export function recordedEventsOf(append: PreparedAppend, batch: WrittenBatch): RecordedEvent[] {
  const { events, streamId } = append;
  const step = batch.positionStep ?? 1n;
  const firstPosition = batch.lastPosition - BigInt(events.length - 1) * step;
  return events.map((event, i) => ({
    id: event.id,
    streamId,
    streamType: batch.streamType,
    type: event.type,
    data: JSON.parse(event.dataJson),
    metadata: JSON.parse(event.metadataJson),
    schemaVersion: event.schemaVersion,
    version: batch.firstVersion + i,
    position: firstPosition + BigInt(i) * step,
    occurredAt: new Date(event.occurredAt.getTime()),
    recordedAt: new Date(batch.recordedAt),
  }));
}
