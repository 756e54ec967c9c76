import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { isStrictlyIncreasing } from '../log-reader.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';
import { describeAppendedEvents } from './appended-events.js';

/** RFC 9562 version 7 (time-ordered), the id core's `prepareAppend` generates. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** How far a defaulted occurredAt may be from the test's clock: room for a database server's clock. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Appending and reading back: versions, positions, results (with the events they report, when the
 * adapter returns them) and the defaults of every field.
 */
export function describeAppendBasics(options: EventStoreConformanceOptions): void {
  describe('append basics', () => {
    const fixture = useStoreFixture(options);

    kitTest('a missing stream is at version 0 and reads as []', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      expect(await store.streamVersion(streamId)).toBe(0);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    kitTest('the first append numbers events 1..n and returns an AppendResult describing them', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const events = makeEvents(3, uniqueEventType('basics'));
      const result = await store.append(streamId, events);
      expect(result.streamId).toBe(streamId);
      expect(result.firstVersion).toBe(1);
      expect(result.lastVersion).toBe(3);
      expect(typeof result.lastPosition).toBe('bigint');

      const read = await store.readStream(streamId);
      expect(versionsOf(read)).toEqual([1, 2, 3]);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
      expect(read.map((e) => e.type)).toEqual(events.map((e) => e.type));
      expect(read.every((e) => e.streamId === streamId)).toBe(true);
      expect(read[2]?.position).toBe(result.lastPosition);
      expect(await store.streamVersion(streamId)).toBe(3);
    });

    kitTest('later appends continue the versions and the result reports them', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const type = uniqueEventType('basics');
      await store.append(streamId, makeEvents(2, type));
      const second = await store.append(streamId, makeEvents(3, type, 3));
      expect(second).toMatchObject({ streamId, firstVersion: 3, lastVersion: 5 });
      const third = await store.append(streamId, makeEvents(1, type, 6));
      expect(third).toMatchObject({ firstVersion: 6, lastVersion: 6 });
      expect(third.lastPosition > second.lastPosition).toBe(true);

      const read = await store.readStream(streamId);
      expect(versionsOf(read)).toEqual(range(1, 6));
      expect(read.map((e) => (e.data as { n: number }).n)).toEqual(range(1, 6));
      expect(read[4]?.position).toBe(second.lastPosition);
      expect(await store.streamVersion(streamId)).toBe(6);
    });

    kitTest(
      'positions are bigints, strictly increasing within a stream and unique across streams',
      async () => {
        const store = await fixture.open();
        const type = uniqueEventType('basics');
        const a = uniqueStreamId('basics-a');
        const b = uniqueStreamId('basics-b');
        await store.append(a, makeEvents(3, type));
        await store.append(b, makeEvents(2, type));
        await store.append(a, makeEvents(2, type));
        const events = [...(await store.readStream(a)), ...(await store.readStream(b))];
        expect(events.every((e) => typeof e.position === 'bigint')).toBe(true);
        expect(isStrictlyIncreasing((await store.readStream(a)).map((e) => e.position))).toBe(true);
        expect(new Set(events.map((e) => e.position)).size).toBe(events.length);
        // The second append to `a` happened after `b`'s, so its events come later in the log.
        const bLast = (await store.readStream(b))[1]!.position;
        expect((await store.readStream(a))[3]!.position > bLast).toBe(true);
      },
    );

    kitTest(
      'defaults: metadata {}, schemaVersion 1, streamType "default", occurredAt now, recordedAt set',
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('basics');
        const before = Date.now();
        await store.append(streamId, [{ type: uniqueEventType('basics'), data: { ok: true } }]);
        const after = Date.now();
        const [event] = await store.readStream(streamId);
        expect(event).toBeDefined();
        expect(event!.metadata).toEqual({});
        expect(event!.schemaVersion).toBe(1);
        expect(event!.streamType).toBe('default');
        expect(event!.occurredAt).toBeInstanceOf(Date);
        expect(Number.isNaN(event!.occurredAt.getTime())).toBe(false);
        const occurredAt = event!.occurredAt.getTime();
        expect(
          occurredAt >= before - CLOCK_SKEW_MS && occurredAt <= after + CLOCK_SKEW_MS,
          `occurredAt defaults to the time of the append, not ${event!.occurredAt.toISOString()}`,
        ).toBe(true);
        expect(event!.recordedAt).toBeInstanceOf(Date);
        expect(Number.isNaN(event!.recordedAt.getTime())).toBe(false);
      },
    );

    kitTest('explicit metadata, schemaVersion, occurredAt and streamType are recorded', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const occurredAt = new Date('2021-06-15T10:20:30.456Z');
      await store.append(
        streamId,
        [
          {
            type: uniqueEventType('basics'),
            data: 1,
            metadata: { user: 'u1' },
            schemaVersion: 3,
            occurredAt,
          },
        ],
        { streamType: 'order' },
      );
      const [event] = await store.readStream(streamId);
      expect(event!.metadata).toEqual({ user: 'u1' });
      expect(event!.schemaVersion).toBe(3);
      expect(event!.occurredAt.getTime()).toBe(occurredAt.getTime());
      expect(event!.streamType).toBe('order');
    });

    kitTest("the stream type is fixed by the stream's first append", async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const type = uniqueEventType('basics');
      await store.append(streamId, makeEvents(1, type), { streamType: 'first' });
      await store.append(streamId, makeEvents(1, type), { streamType: 'second' });
      await store.append(streamId, makeEvents(1, type));
      const read = await store.readStream(streamId);
      expect(read.map((e) => e.streamType)).toEqual(['first', 'first', 'first']);
    });

    kitTest('generated event ids are unique UUID v7 strings', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const type = uniqueEventType('basics');
      const batch = Array.from({ length: 50 }, (_, n) => ({ type, data: { n } }));
      await store.append(streamId, batch);
      await store.append(streamId, batch);
      const read = await store.readStream(streamId);
      expect(read).toHaveLength(100);
      for (const event of read) expect(event.id).toMatch(UUID_V7);
      expect(new Set(idsOf(read)).size).toBe(100);
    });

    kitTest('readStream, readStreams and readAll return the same event objects', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('basics');
      const type = uniqueEventType('basics');
      const { lastPosition } = await store.append(streamId, makeEvents(1, type));
      await store.append(streamId, [
        { type, data: { nested: [1, 'two'] }, metadata: { m: 1 }, schemaVersion: 2 },
      ]);
      const viaStream = await store.readStream(streamId);
      const viaStreams = (await store.readStreams([streamId])).get(streamId);
      const viaAll = await store.readAll({ after: lastPosition - 1n, types: [type] });
      expect(viaStreams).toEqual(viaStream);
      expect(viaAll).toEqual(viaStream);
    });

    describeAppendedEvents(fixture);
  });
}
