import type { NewEvent, RecordedEvent } from '@strata/core';
import { expect } from 'vitest';
import { benchEvent } from '../../src/workloads/bench-events.js';

/** A floor whose appends can name a stream type, with its streams read back decoded. */
export interface TypedFloor {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    streamType?: string,
  ): Promise<void>;
  readStreamEvents(streamId: string): Promise<RecordedEvent[]>;
}

/**
 * The conformance kit's rule, kept by a floor: a stream's first append fixes its type, a later one
 * naming another type does not change it, and a first append that is refused fixes nothing.
 */
export async function expectFirstStreamTypeKept(floor: TypedFloor): Promise<void> {
  await expect(floor.append('typed-refused', [benchEvent(0)], 1, 'ledger')).rejects.toThrow('is at 0, not 1');
  await floor.append('typed-refused', [benchEvent(1)], 0, 'account');
  await floor.append('typed', [benchEvent(2)], 0, 'account');
  await floor.append('typed', [benchEvent(3), benchEvent(4)], 1, 'ledger');
  await floor.append('typed', [benchEvent(5)], 3);

  const types = async (streamId: string) =>
    (await floor.readStreamEvents(streamId)).map((event) => event.streamType);
  expect(await types('typed-refused')).toEqual(['account']);
  expect(await types('typed')).toEqual(['account', 'account', 'account', 'account']);
}
