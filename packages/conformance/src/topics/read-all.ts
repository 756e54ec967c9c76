import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { isStrictlyIncreasing, markLogPosition, readLogPages, readOwnEvents } from '../log-reader.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** More than the 1,000 events a default page size (or a driver's row cap) commonly allows. */
const UNLIMITED_EVENTS = 1_500;

/**
 * `readAll` over a log that may hold other writers' events: the tests read after a position they
 * captured, and isolate their own events by stream id or by random event types.
 */
export function describeReadAll(options: EventStoreConformanceOptions): void {
  describe('readAll', () => {
    const fixture = useStoreFixture(options);

    kitTest('returns events of many streams in append order, positions strictly increasing', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('all');
      const after = await markLogPosition(store);
      const streams = [uniqueStreamId('all-a'), uniqueStreamId('all-b'), uniqueStreamId('all-c')];
      const appended: string[] = [];
      for (const streamId of [0, 1, 0, 2, 1, 1, 0, 2].map((i) => streams[i]!)) {
        const events = makeEvents(2, type);
        await store.append(streamId, events);
        appended.push(...idsOf(events));
      }
      const own = await readOwnEvents(store, after, streams);
      expect(idsOf(own)).toEqual(appended);
      const all = await store.readAll({ after });
      expect(isStrictlyIncreasing(all.map((e) => e.position))).toBe(true);
      expect(all.every((e) => e.position > after)).toBe(true);
      const typed = await store.readAll({ after, types: [type] });
      expect(typed).toEqual(own);
      for (const event of own) {
        expect(event).toEqual((await store.readStream(event.streamId))[event.version - 1]);
      }
    });

    kitTest('after is exclusive', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('all-after');
      const after = await markLogPosition(store);
      await store.append(uniqueStreamId('all-after'), makeEvents(5, type));
      const own = await store.readAll({ after, types: [type] });
      expect(own).toHaveLength(5);
      for (let i = 0; i < own.length; i++) {
        expect(idsOf(await store.readAll({ after: own[i]!.position, types: [type] }))).toEqual(
          idsOf(own.slice(i + 1)),
        );
      }
      const lastFirst = await store.readAll({ after: own[4]!.position - 1n, types: [type] });
      expect(idsOf(lastFirst)).toEqual([own[4]!.id]);
    });

    kitTest('limit caps the result: paging with limit and after visits every event once', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('all-limit');
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('all-limit');
      await store.append(streamId, makeEvents(4, type));
      await store.append(uniqueStreamId('all-limit-b'), makeEvents(3, type));
      await store.append(streamId, makeEvents(3, type));
      const own = await store.readAll({ after, types: [type] });
      expect(own).toHaveLength(10);
      expect(await store.readAll({ after, types: [type], limit: 0 })).toEqual([]);
      expect(await store.readAll({ after, types: [type], limit: 3 })).toEqual(own.slice(0, 3));
      expect(await store.readAll({ after, types: [type], limit: 100 })).toEqual(own);
      // Bounded: a store whose `after` is inclusive would hand back the last event for ever.
      expect(await readLogPages(store, { after, types: [type], pageSize: 3 })).toEqual(own);
    });

    kitTest('without a types filter, a limited page is the start of the unlimited read', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('all-prefix');
      const after = await markLogPosition(store);
      await store.append(uniqueStreamId('all-prefix'), makeEvents(6, type));
      const page = await store.readAll({ after, limit: 4 });
      expect(page).toHaveLength(4);
      const unlimited = await store.readAll({ after });
      expect(unlimited.length).toBeGreaterThanOrEqual(6);
      expect(idsOf(page)).toEqual(idsOf(unlimited.slice(0, 4)));
      expect(await store.readAll({ after, limit: 0 })).toEqual([]);
    });

    kitTest('types filters by event type, in log order, and [] matches nothing', async () => {
      const store = await fixture.open();
      const [red, green, blue] = ['red', 'green', 'blue'].map((c) => uniqueEventType(c)) as [
        string,
        string,
        string,
      ];
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('all-types');
      const sequence = [red, green, blue, red, blue, green, red];
      for (const type of sequence) await store.append(streamId, makeEvents(1, type));
      const all = await store.readStream(streamId);
      const select = (...types: string[]) => idsOf(all.filter((e) => types.includes(e.type)));
      expect(idsOf(await store.readAll({ after, types: [red] }))).toEqual(select(red));
      expect(idsOf(await store.readAll({ after, types: [red, blue] }))).toEqual(select(red, blue));
      expect(idsOf(await store.readAll({ after, types: [blue, red, blue] }))).toEqual(select(red, blue));
      expect(idsOf(await store.readAll({ after, types: [green], limit: 1 }))).toEqual(
        select(green).slice(0, 1),
      );
      expect(await store.readAll({ after, types: [uniqueEventType('none')] })).toEqual([]);
      expect(await store.readAll({ after, types: [] })).toEqual([]);
    });

    kitTest(
      `without a limit, returns all ${UNLIMITED_EVENTS.toLocaleString('en')} events: no default page size caps it`,
      async () => {
        const store = await fixture.open();
        const type = uniqueEventType('all-unlimited');
        const after = await markLogPosition(store);
        const streamId = uniqueStreamId('all-unlimited');
        const appended: string[] = [];
        for (let first = 1; first <= UNLIMITED_EVENTS; first += 500) {
          const events = makeEvents(Math.min(500, UNLIMITED_EVENTS - first + 1), type, first);
          await store.append(streamId, events);
          appended.push(...idsOf(events));
        }
        const typed = await store.readAll({ after, types: [type] });
        expect(typed.length, 'readAll({ after, types }) without a limit').toBe(UNLIMITED_EVENTS);
        expect(idsOf(typed)).toEqual(appended);
        const whole = (await store.readAll({ after })).filter((e) => e.streamId === streamId);
        expect(whole.length, 'readAll({ after }) without a limit').toBe(UNLIMITED_EVENTS);
        expect(idsOf(whole)).toEqual(appended);
      },
    );

    kitTest('types match exactly: types differing only by case are different types', async () => {
      const store = await fixture.open();
      const base = uniqueEventType('all-case');
      const [lower, upper, mixed] = [`${base}.order.placed`, `${base}.ORDER.PLACED`, `${base}.Order.Placed`];
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('all-case');
      for (const type of [lower, upper, mixed, lower]) await store.append(streamId, makeEvents(1, type));
      const all = await store.readStream(streamId);
      for (const type of [lower, upper, mixed]) {
        expect(
          idsOf(await store.readAll({ after, types: [type] })),
          `readAll({ types: [${JSON.stringify(type)}] })`,
        ).toEqual(idsOf(all.filter((e) => e.type === type)));
      }
      expect(idsOf(await store.readAll({ after, types: [upper, mixed] }))).toEqual(idsOf(all.slice(1, 3)));
      expect(await store.readAll({ after, types: [`${base}.order.PLACED`] })).toEqual([]);
    });

    kitTest('after beyond the end of the log returns []', async () => {
      const store = await fixture.open();
      const after = await markLogPosition(store);
      expect(await store.readAll({ after: after + 1_000_000_000n, limit: 10 })).toEqual([]);
    });

    kitTest('a read from the start of the log returns events in increasing position', async () => {
      const store = await fixture.open();
      await markLogPosition(store);
      const page = await store.readAll({ limit: 50 });
      expect(page.length).toBeGreaterThan(0);
      expect(page.length).toBeLessThanOrEqual(50);
      expect(isStrictlyIncreasing(page.map((e) => e.position))).toBe(true);
      // Other writers may extend a short log in between, so compare the common prefix.
      const again = await store.readAll({ after: 0n, limit: 50 });
      expect(idsOf(again.slice(0, page.length))).toEqual(idsOf(page));
    });
  });
}
