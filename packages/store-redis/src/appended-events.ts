import type { PreparedAppend, RecordedEvent } from '@strata/core';
import { CLUSTER_SLOTS } from './key-slot.js';

/** What the append script reports of a written batch, and what the client sent it. */
export interface WrittenBatch {
  firstVersion: number;
  lastPosition: bigint;
  /** The stream's type as stored (JSON text): the first append of a stream fixed it. */
  streamTypeJson: string;
  /** The `recordedAt` the client passed to the script, which stored it as is. */
  recordedAt: number;
  cluster: boolean;
}

/**
 * The events of a written batch exactly as reads decode them, from the script's reply instead of
 * a read: a batch's positions are consecutive in standalone mode and one slot range apart
 * (`CLUSTER_SLOTS`) in cluster mode, where a position is `sequence * CLUSTER_SLOTS + slot`.
 */
export function appendedEvents(append: PreparedAppend, batch: WrittenBatch): RecordedEvent[] {
  const { events, streamId } = append;
  const step = batch.cluster ? BigInt(CLUSTER_SLOTS) : 1n;
  const firstPosition = batch.lastPosition - BigInt(events.length - 1) * step;
  const streamType = JSON.parse(batch.streamTypeJson) as string;
  return events.map((event, i) => ({
    id: event.id,
    streamId,
    streamType,
    type: event.type,
    // Parsed again from the stored text: copies the caller's later changes cannot reach.
    data: JSON.parse(event.dataJson),
    metadata: JSON.parse(event.metadataJson),
    schemaVersion: event.schemaVersion,
    version: batch.firstVersion + i,
    position: firstPosition + BigInt(i) * step,
    occurredAt: new Date(event.occurredAt.getTime()),
    recordedAt: new Date(batch.recordedAt),
  }));
}
