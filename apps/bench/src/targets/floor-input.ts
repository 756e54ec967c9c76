import { type NewEvent, type PreparedEvent, prepareAppend } from '@strata/core';

/**
 * What every floor does first, as every adapter does before it sends anything: the contract's
 * checks of the caller's input (names, JSON-safe data and metadata, payload size, ids, schema
 * version) and the ids of events that have none, by core's `prepareAppend`. A store that skipped
 * them would store what the contract refuses, so they belong to the least a store can do. The
 * floor then writes the JSON text the checks produced, as the adapters do: nothing is encoded twice.
 */
export function checkedFloorEvents(
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: number,
  streamType: string,
): PreparedEvent[] {
  return prepareAppend(streamId, events as NewEvent[], { expectedVersion, streamType }).events;
}
