import type { RecordedEvent } from '@strata/core';
import { expect } from 'vitest';

/** The fields a floor must read back as the store does, which the minimal store makes up. */
export const storedFields = (e: RecordedEvent) => [e.id, e.schemaVersion, e.recordedAt.getTime(), e.position];

interface Reader {
  readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]>;
  readStreamEvents(streamId: string): Promise<RecordedEvent[]>;
}

/**
 * A seeded floor returns the store's stored ids, schema versions and recording times, log and
 * stream alike, for the `seeded` events both hold.
 */
export async function expectStoreFields(
  floor: Reader,
  store: {
    readAll(options: { limit: number }): Promise<RecordedEvent[]>;
    readStream(id: string): Promise<RecordedEvent[]>;
  },
  streamId: string,
  seeded: number,
): Promise<void> {
  const log = await store.readAll({ limit: seeded });
  expect((await floor.readAllEvents(0n, seeded)).map(storedFields)).toEqual(log.map(storedFields));
  expect(log).toHaveLength(seeded);
  expect((await floor.readStreamEvents(streamId)).map(storedFields)).toEqual(
    (await store.readStream(streamId)).map(storedFields),
  );
}
