import { randomUUID } from 'node:crypto';
import { MAX_POSITION, PositionsExhaustedError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { seedLastPosition } from './seed-position.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

function events(count: number) {
  return Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'seeded', data: { n } }));
}

describe('positions at the end of their range', () => {
  it('cross 2^53 exactly', async () => {
    const path = databases.path();
    const store = await seedLastPosition(
      createSqliteEventStore({ database: path }),
      databases.raw(path),
      2n ** 53n - 2n,
    );
    const result = await store.append(`s-${randomUUID()}`, events(4));
    expect(result.events?.map((e) => e.position)).toEqual([-1n, 0n, 1n, 2n].map((d) => 2n ** 53n + d));
    expect((await store.readAll({ after: 2n ** 53n })).map((e) => e.position)).toEqual([
      2n ** 53n + 1n,
      2n ** 53n + 2n,
    ]);
    await store.close();
  });

  it('end at 2^63 - 1: a batch that does not fit is refused with the typed error, writing nothing', async () => {
    const path = databases.path();
    const store = await seedLastPosition(
      createSqliteEventStore({ database: path }),
      databases.raw(path),
      MAX_POSITION - 2n,
    );
    const streamId = `s-${randomUUID()}`;
    await expect(store.append(streamId, events(3))).rejects.toThrow(PositionsExhaustedError);
    expect(await store.streamVersion(streamId)).toBe(0);
    const batch = events(2);
    const written = await store.append(streamId, batch);
    expect(written.lastPosition).toBe(MAX_POSITION);
    await expect(store.append(streamId, events(1))).rejects.toThrow(PositionsExhaustedError);
    expect(await store.streamVersion(streamId)).toBe(2);
    // A resend recorded nothing new: the full log still answers it with the original result.
    expect((await store.append(streamId, batch)).lastPosition).toBe(MAX_POSITION);
    await store.close();
  });
});
