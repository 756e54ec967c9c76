import type { EventRewrite, RecordedEvent } from '@strata/core';
import { upcastEvent } from './upcast-event.js';
import type { UpcasterChain } from './upcaster-chain.js';

/** A stored event that reads as several: no rewrite can store it that way, so it stays as stored. */
export interface LeftSplit {
  split: true;
  /** The parts it reads as, at their current types and versions. */
  parts: RecordedEvent[];
}

/**
 * The rewrite that stores `event` at its type's current version (and current name), guarded on
 * the event as it was read; `undefined` when it is current already or of a type the chain does
 * not know; a `LeftSplit` when it reads as several events, which one stored event cannot become
 * in place. The metadata is kept. Throws `SerializationError` as a read through `withUpcasting`
 * would, for an event no chain takes to a current version.
 */
export function rewriteToCurrent(
  chain: UpcasterChain,
  event: RecordedEvent,
): EventRewrite | LeftSplit | undefined {
  const upcast = upcastEvent(chain, event);
  if (upcast === event) return undefined;
  if (Array.isArray(upcast)) return { split: true, parts: upcast };
  return {
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    position: event.position,
    expectedType: event.type,
    expectedSchemaVersion: event.schemaVersion,
    type: upcast.type,
    schemaVersion: upcast.schemaVersion,
    data: upcast.data,
    metadata: event.metadata,
  };
}
