import { type RecordedEvent, SerializationError } from '@strata/core';
import { splitPartId } from './split-part-id.js';
import type { SplitStep, UpcasterChain } from './upcaster-chain.js';

/**
 * The event at its type's current version, or, when its way ends in a split, its parts at theirs
 * (an array, in order). Returns the same object for an event that is already current, or of a
 * type the chain does not know, so reading current events costs one map lookup.
 */
export function upcastEvent(chain: UpcasterChain, event: RecordedEvent): RecordedEvent | RecordedEvent[] {
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
  const split = chain.splitAfter(event.type, event.schemaVersion);
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
  if (split === undefined) return { ...event, type, schemaVersion, data };
  const parts: RecordedEvent[] = [];
  splitParts({ ...event, type, schemaVersion, data }, split, where).forEach((part) => {
    const upcast = upcastEvent(chain, part);
    if (Array.isArray(upcast)) parts.push(...upcast);
    else parts.push(upcast);
  });
  return parts;
}

/**
 * The parts `split` makes of `event`, each with the stored event's stream, version, position,
 * metadata and times, and an id of its own derived from the event's id and its index. The split's
 * payloads must not share objects with each other or with anything kept elsewhere.
 */
function splitParts(event: RecordedEvent, split: SplitStep, where: string): RecordedEvent[] {
  let payloads: readonly unknown[];
  try {
    payloads = split.split(event.data, event);
  } catch (error) {
    throw new SerializationError(
      event.type,
      `the split from schema version ${event.schemaVersion} failed on ${where}`,
      { cause: error },
    );
  }
  if (!Array.isArray(payloads) || payloads.length !== split.into.length) {
    throw new SerializationError(
      event.type,
      `the split from schema version ${event.schemaVersion} must return ${split.into.length} payloads, one per part of \`into\`, for ${where}; it returned ${Array.isArray(payloads) ? payloads.length : typeof payloads}`,
    );
  }
  return split.into.map((part, index) => {
    const data = payloads[index];
    if (data === undefined) {
      throw new SerializationError(
        event.type,
        `the split from schema version ${event.schemaVersion} returned undefined for part ${index} ("${part.type}") of ${where}`,
      );
    }
    const id = splitPartId(event.id, index);
    if (index === 0) return { ...event, id, type: part.type, schemaVersion: part.version, data };
    // Each part belongs to the caller alone (core's read contract): the first takes the stored
    // event's metadata and times, the others get copies.
    return {
      ...event,
      id,
      type: part.type,
      schemaVersion: part.version,
      data,
      metadata: JSON.parse(JSON.stringify(event.metadata)),
      occurredAt: new Date(event.occurredAt.getTime()),
      recordedAt: new Date(event.recordedAt.getTime()),
    };
  });
}

/**
 * The events at their current versions, a split event's parts in its place (in reverse order
 * when `backward`, so a backward read is the exact reverse of a forward one); `events` itself
 * when every one already is current.
 */
export function upcastEvents(
  chain: UpcasterChain,
  events: RecordedEvent[],
  backward = false,
): RecordedEvent[] {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const upcast = upcastEvent(chain, event);
    if (upcast === event) continue;
    const result = events.slice(0, i);
    push(result, upcast, backward);
    for (let j = i + 1; j < events.length; j++) push(result, upcastEvent(chain, events[j]!), backward);
    return result;
  }
  return events;
}

function push(result: RecordedEvent[], upcast: RecordedEvent | RecordedEvent[], backward: boolean): void {
  if (!Array.isArray(upcast)) result.push(upcast);
  else if (backward) for (let k = upcast.length - 1; k >= 0; k--) result.push(upcast[k]!);
  else result.push(...upcast);
}
