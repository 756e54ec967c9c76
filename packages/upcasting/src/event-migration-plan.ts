import type { EventRewrite, RecordedEvent } from '@strata/core';
import { upcastEvent } from './upcast-event.js';
import type { UpcasterChain } from './upcaster-chain.js';

/**
 * The rewrite that stores `event` at its type's current version (and current name), guarded on
 * the event as it was read; `undefined` when it is current already or of a type the chain does
 * not know. The metadata is kept. Throws `SerializationError` as a read through `withUpcasting`
 * would, for an event no chain takes to a current version.
 */
export function rewriteToCurrent(chain: UpcasterChain, event: RecordedEvent): EventRewrite | undefined {
  const upcast = upcastEvent(chain, event);
  if (upcast === event) return undefined;
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
