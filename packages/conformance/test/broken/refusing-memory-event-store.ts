import { type AppendOptions, type AppendResult, type NewEvent, ValidationError } from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';

/** The event type the fixtures' storage refuses, as a CHECK constraint would in a SQL schema. */
export const REFUSED_TYPE = 'conformance.refused-by-storage';

/** Whether `events` holds an event the storage refuses. */
export function holdsRefused(events: unknown): boolean {
  return Array.isArray(events) && events.some((event: NewEvent | undefined) => event?.type === REFUSED_TYPE);
}

/** The memory reference over a storage that refuses one event type: the fixtures' backend refusal. */
export class RefusingMemoryEventStore extends MemoryEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (holdsRefused(events)) throw new ValidationError('events', `the storage refuses type ${REFUSED_TYPE}`);
    return super.append(streamId, events, options);
  }
}
