import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresEventStore } from '../src/index.js';
import { track, within } from './support/deadline.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  insertEventHeldOpen,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

const WAIT_MS = 10_000;
const OTHERS = 4;

/**
 * Seed flaw 4: a position taken at insert becomes visible at commit, so a reader can see n+1 while
 * n is still in flight and skip n forever. Here a raw connection inserts an event and holds its
 * transaction open while other appends are made; the reader must neither skip the late commit nor
 * hang when it rolls back.
 */
for (const partitions of [undefined, 3]) {
  const layout = partitions === undefined ? 'one events table' : `${partitions} hash partitions`;
  describePostgres(`global order with a transaction held open (${layout})`, () => {
    const schema = randomSchema();
    let admin: pg.Pool;
    let store: PostgresEventStore;

    beforeAll(async () => {
      admin = adminPool();
      store = await openStore(schema, { partitions });
    });

    afterAll(async () => {
      await store?.close();
      await dropSchema(admin, schema);
      await admin.end();
    });

    const rawInsertHeldOpen = (streamId: string) =>
      insertEventHeldOpen(admin, schema, streamId, { partitions, data: '{"late":true}' });

    /** Starts `OTHERS` appends through the store without waiting for them. */
    function startOtherAppends(tag: string) {
      const streams = Array.from({ length: OTHERS }, (_, i) => `order-${tag}-${i}-${randomUUID()}`);
      const appends = streams.map((streamId) =>
        track(store.append(streamId, [{ type: 'order.other', data: { streamId } }])),
      );
      return { streams, appends };
    }

    it('a reader does not skip an event whose transaction commits after later appends were made', async () => {
      const cursor = (await store.append(`order-mark-${randomUUID()}`, [{ type: 'mark', data: null }]))
        .lastPosition;
      const lateStream = `order-late-${randomUUID()}`;
      const { raw, position } = await rawInsertHeldOpen(lateStream);
      try {
        const { streams, appends } = startOtherAppends('commit');
        await sleep(300);
        // The reader gets an answer at once, and it holds none of the in-flight events...
        const before = await within(
          store.readAll({ after: cursor }),
          WAIT_MS,
          'readAll during the open transaction',
        );
        const own = new Set([lateStream, ...streams]);
        expect(before.filter((e) => own.has(e.streamId))).toEqual([]);
        // ...because no append can take a position behind the open transaction's until it ends.
        expect(appends.filter((a) => a.settled())).toHaveLength(0);

        await raw.query('COMMIT');
        const results = await within(
          Promise.all(appends.map((a) => a.promise)),
          WAIT_MS,
          'the other appends',
        );
        for (const result of results) expect(result.lastPosition).toBeGreaterThan(position);

        const after = (await store.readAll({ after: cursor })).filter((e) => own.has(e.streamId));
        expect(after[0]?.streamId).toBe(lateStream);
        expect(after[0]?.position).toBe(position);
        expect(new Set(after.map((e) => e.streamId))).toEqual(own);
      } finally {
        await raw.query('ROLLBACK').catch(() => {});
        raw.release();
      }
    });

    it('a reader neither hangs nor waits forever on an event whose transaction rolls back', async () => {
      const cursor = (await store.append(`order-mark-${randomUUID()}`, [{ type: 'mark', data: null }]))
        .lastPosition;
      const lateStream = `order-rolled-back-${randomUUID()}`;
      const { raw, position } = await rawInsertHeldOpen(lateStream);
      let released = false;
      try {
        const { streams, appends } = startOtherAppends('rollback');
        await sleep(300);
        await within(store.readAll({ after: cursor }), WAIT_MS, 'readAll during the open transaction');

        await raw.query('ROLLBACK');
        raw.release();
        released = true;
        await within(Promise.all(appends.map((a) => a.promise)), WAIT_MS, 'the other appends');

        const page = await within(store.readAll({ after: cursor }), WAIT_MS, 'readAll after the rollback');
        const seen = page.filter((e) => e.streamId === lateStream || streams.includes(e.streamId));
        expect(seen.map((e) => e.streamId).sort()).toEqual([...streams].sort());
        // The rolled-back position is a gap the reader simply passes.
        expect(seen.every((e) => e.position > position)).toBe(true);
        expect(await store.readStream(lateStream)).toEqual([]);
      } finally {
        if (!released) {
          await raw.query('ROLLBACK').catch(() => {});
          raw.release();
        }
      }
    });

    it('a reader tailing the log while a transaction stays open sees every event exactly once, in order', async () => {
      const cursor = (await store.append(`order-mark-${randomUUID()}`, [{ type: 'mark', data: null }]))
        .lastPosition;
      const lateStream = `order-tail-${randomUUID()}`;
      const { raw } = await rawInsertHeldOpen(lateStream);
      const { streams, appends } = startOtherAppends('tail');
      const own = new Set([lateStream, ...streams]);
      const seen: string[] = [];
      let position = cursor;
      const poll = async () => {
        for (const event of await store.readAll({ after: position, limit: 2 })) {
          expect(event.position).toBeGreaterThan(position);
          position = event.position;
          if (own.has(event.streamId)) seen.push(event.streamId);
        }
      };
      try {
        for (let i = 0; i < 5; i++) await poll();
        await raw.query('COMMIT');
      } finally {
        await raw.query('ROLLBACK').catch(() => {});
        raw.release();
      }
      await Promise.all(appends.map((a) => a.promise));
      for (let i = 0; i < 10; i++) await poll();
      expect(seen[0]).toBe(lateStream);
      expect([...seen].sort()).toEqual([...own].sort());
    });
  });
}
