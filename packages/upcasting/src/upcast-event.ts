import { type RecordedEvent, SerializationError } from '@strata/core';
import type { UpcasterChain } from './upcaster-chain.js';

/**
 * The event at its type's current version. Returns the same object for an event that is already
 * current, or of a type the chain does not know, so reading current events costs one map lookup.
 */
export function upcastEvent(chain: UpcasterChain, event: RecordedEvent): RecordedEvent {
  if (chain.current.get(event.type) === event.schemaVersion || !chain.manages(event.type)) return event;
  const steps = chain.stepsFrom(event.type, event.schemaVersion);
  if (steps === undefined) {
    const currentVersion = chain.current.get(event.type);
    throw new SerializationError(
      event.type,
      `event ${event.id} (stream "${event.streamId}", version ${event.version}) is stored at schema version ${event.schemaVersion}, ` +
        (currentVersion !== undefined && event.schemaVersion > currentVersion
          ? `newer than the current ${currentVersion}: it was written by a newer program`
          : 'which no upcaster starts from'),
    );
  }
  let { type, schemaVersion, data } = event;
  const where = `event ${event.id} (stream "${event.streamId}", version ${event.version})`;
  for (const step of steps) {
    if (step.upcast !== undefined) {
      try {
        data = step.upcast(data, { ...event, type, schemaVersion, data });
      } catch (error) {
        throw new SerializationError(
          type,
          `the upcaster from schema version ${schemaVersion} failed on ${where}`,
          {
            cause: error,
          },
        );
      }
      // The usual slip, a block body without `return`: never hand on an event without data.
      if (data === undefined) {
        throw new SerializationError(
          type,
          `the upcaster from schema version ${schemaVersion} returned undefined for ${where}`,
        );
      }
    }
    type = step.toType;
    schemaVersion = step.toVersion;
  }
  return { ...event, type, schemaVersion, data };
}

/** The events at their current versions; `events` itself when every one already is. */
export function upcastEvents(chain: UpcasterChain, events: RecordedEvent[]): RecordedEvent[] {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const upcast = upcastEvent(chain, event);
    if (upcast === event) continue;
    const result = events.slice(0, i);
    result.push(upcast);
    for (let j = i + 1; j < events.length; j++) result.push(upcastEvent(chain, events[j]!));
    return result;
  }
  return events;
}
