import { randomUUID } from 'node:crypto';
import { MAX_POSITION, PositionsExhaustedError } from '@strata/core';
import { expect, it } from 'vitest';
import {
  describePostgres,
  type SchemaStore,
  seedSequence,
  storeInFreshSchema,
} from './support/postgres-test-env.js';

function seedLastPosition({ admin, schema }: SchemaStore, lastPosition: bigint): Promise<void> {
  return seedSequence(admin, schema, lastPosition);
}

function events(count: number) {
  return Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'seeded', data: { n } }));
}

for (const partitions of [undefined, 3]) {
  describePostgres(`positions end at 2^63 - 1 (partitions: ${partitions ?? 'none'})`, () => {
    const fresh = storeInFreshSchema({ partitions });

    it('an append past the last position is refused with the typed error, and writes nothing', async () => {
      const { store } = fresh;
      await seedLastPosition(fresh, MAX_POSITION - 3n);
      const streamId = `ceiling-${randomUUID()}`;
      const first = await store.append(streamId, events(2), { expectedVersion: 'no_stream' });
      expect(first.lastPosition).toBe(MAX_POSITION - 1n);
      await expect(store.append(streamId, events(2), { expectedVersion: 2 })).rejects.toThrow(
        PositionsExhaustedError,
      );
      expect(await store.streamVersion(streamId)).toBe(2);
      // The refused append may have used up the last position (a sequence never goes back): a gap.
      const single = await Promise.allSettled([store.append(streamId, events(1), { expectedVersion: 2 })]);
      const outcome = single[0]!;
      if (outcome.status === 'fulfilled') expect(outcome.value.lastPosition).toBe(MAX_POSITION);
      else expect(PositionsExhaustedError.isInstance(outcome.reason)).toBe(true);
      await expect(store.append(`other-${randomUUID()}`, events(1))).rejects.toThrow(PositionsExhaustedError);
      const positions = (await store.readAll({ after: MAX_POSITION - 3n })).map((e) => e.position);
      expect(positions.slice(0, 2)).toEqual([MAX_POSITION - 2n, MAX_POSITION - 1n]);
      expect(positions.every((p) => p <= MAX_POSITION)).toBe(true);
    });

    it('in a group, the appends that fit alone are not refused because of one that does not', async () => {
      const { store } = fresh;
      await seedLastPosition(fresh, MAX_POSITION - 10n);
      const outcomes = await Promise.allSettled([
        store.append(`big-${randomUUID()}`, events(20)),
        store.append(`small-${randomUUID()}`, events(1)),
        store.append(`small-${randomUUID()}`, events(2)),
      ]);
      expect(PositionsExhaustedError.isInstance((outcomes[0] as PromiseRejectedResult).reason)).toBe(true);
      expect(outcomes.slice(1).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    });
  });
}
