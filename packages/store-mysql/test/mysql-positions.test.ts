import { randomUUID } from 'node:crypto';
import { type EventStore, MAX_POSITION, ValidationError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { MYSQL_URL, mysqlReachable, seedSequence } from './mysql-test-server.js';
import { type TestTables, useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();
const TWO_TO_53 = 2n ** 53n;

function seedLastPosition(tables: TestTables, last: bigint): Promise<void> {
  return seedSequence(tables.prefix, last);
}

function events(count: number) {
  return Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'seeded', data: { n } }));
}

// Each way an append takes positions: a new stream ('no_stream', a plain INSERT then the sequence
// row), a numeric expected version with several events (one UPDATE of stream and sequence), one
// event with a numeric expected version (the append_one procedure), and a group of appends.
/** Each writes 6 events and returns their positions in log order. */
const PATHS: [string, (store: EventStore, count: number) => Promise<bigint[]>][] = [
  [
    'a new stream',
    async (store, count) => {
      const result = await store.append(`new-${randomUUID()}`, events(count), {
        expectedVersion: 'no_stream',
      });
      return (result.events ?? []).map((e) => e.position);
    },
  ],
  [
    'numeric expected versions (one event: the procedure; several: one UPDATE)',
    async (store) => {
      const streamId = `numeric-${randomUUID()}`;
      const positions: bigint[] = [];
      let version = 0;
      for (const size of [1, 1, 2, 2]) {
        const result = await store.append(streamId, events(size), { expectedVersion: version });
        positions.push(...(result.events ?? []).map((e) => e.position));
        version += size;
      }
      return positions;
    },
  ],
  [
    'a group of concurrent appends',
    async (store, count) => {
      const results = await Promise.all(
        Array.from({ length: count }, () => store.append(`group-${randomUUID()}`, events(1))),
      );
      return results.map((r) => r.lastPosition).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
  ],
];

for (const partitions of [undefined, 3]) {
  const layout = partitions === undefined ? {} : { partitions };
  // Tables of their own for each test: seeding the sequence row moves every store's log.
  describe.skipIf(!reachable).each(PATHS)(
    `positions are exact past 2^53 (partitions: ${partitions ?? 'none'}), through %s`,
    (_, write) => {
      const tables = useTestTables(layout);

      it('positions cross 2^53 one by one and readAll returns them', async () => {
        const store = tables.open();
        const seed = TWO_TO_53 - 3n;
        await seedLastPosition(tables, seed);
        const positions = await write(store, 6);
        const expected = [1n, 2n, 3n, 4n, 5n, 6n].map((i) => seed + i);
        expect(positions).toEqual(expected);
        const read = await store.readAll({ after: seed });
        expect(read.map((e) => e.position)).toEqual(expected);
        expect((await store.readAll({ after: TWO_TO_53 })).map((e) => e.position)).toEqual(expected.slice(3));
        const next = await store.append(`next-${randomUUID()}`, events(1));
        expect(next.lastPosition).toBe(seed + 7n);
      });
    },
  );

  describe.skipIf(!reachable)(`positions end at 2^63 - 1 (partitions: ${partitions ?? 'none'})`, () => {
    const tables = useTestTables(layout);

    it('the last positions below 2^63 are handed out; past them an append fails and writes nothing', async () => {
      const store = tables.open();
      await seedLastPosition(tables, MAX_POSITION - 3n);
      const streamId = `ceiling-${randomUUID()}`;
      const first = await store.append(streamId, events(2), { expectedVersion: 'no_stream' });
      expect(first.lastPosition).toBe(MAX_POSITION - 1n);
      await expect(store.append(streamId, events(2), { expectedVersion: 2 })).rejects.toMatchObject({
        code: 'STRATA_POSITIONS_EXHAUSTED',
      });
      await expect(store.append(`other-${randomUUID()}`, events(2))).rejects.toMatchObject({
        code: 'STRATA_POSITIONS_EXHAUSTED',
      });
      expect(await store.streamVersion(streamId)).toBe(2);
      const lastBatch = events(1);
      const last = await store.append(streamId, lastBatch, { expectedVersion: 2 });
      expect(last.lastPosition).toBe(MAX_POSITION);
      await expect(store.append(streamId, events(1), { expectedVersion: 3 })).rejects.toMatchObject({
        code: 'STRATA_POSITIONS_EXHAUSTED',
      });
      await expect(store.append(streamId, events(1))).rejects.toMatchObject({
        code: 'STRATA_POSITIONS_EXHAUSTED',
      });
      expect((await store.readAll({ after: MAX_POSITION - 3n })).map((e) => e.position)).toEqual([
        MAX_POSITION - 2n,
        MAX_POSITION - 1n,
        MAX_POSITION,
      ]);
      expect(await store.streamVersion(streamId)).toBe(3);
      // A resend recorded nothing new: a full log still answers it with the original result.
      const resent = await store.append(streamId, lastBatch);
      expect(resent.lastPosition).toBe(MAX_POSITION);
      expect(resent.lastVersion).toBe(3);
    });
  });
}

describe.skipIf(!reachable)('positions past 2^53 through a pool without supportBigNumbers', () => {
  const tables = useTestTables();

  it('are never returned rounded: reads fail with a ValidationError naming the setting', async () => {
    const pool = createPool({ uri: MYSQL_URL, connectionLimit: 2 });
    try {
      const store = tables.open({ connection: pool });
      await seedLastPosition(tables, TWO_TO_53 - 1n);
      const streamId = `rounded-${randomUUID()}`;
      // The insert id comes back as text, so the append itself is exact.
      expect((await store.append(streamId, events(3))).lastPosition).toBe(TWO_TO_53 + 2n);
      for (const read of [() => store.readStream(streamId), () => store.readAll({ after: TWO_TO_53 - 1n })]) {
        const outcome = await read().catch((error: unknown) => error);
        expect(ValidationError.isInstance(outcome), String(outcome)).toBe(true);
        expect((outcome as Error).message).toContain('supportBigNumbers');
      }
      await store.close();
    } finally {
      await pool.end();
    }
  });
});
