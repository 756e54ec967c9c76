import type { AppendResult, EventStore, RecordedEvent } from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import { kitTest } from '../kit-test.js';
import { eventsOrSkip } from '../skip-without-events.js';
import type { StoreFixture } from '../store-fixture.js';
import { makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * Part of the append-basics topic: the events an append reports it recorded must be exactly what
 * reads return. The field is optional, so without it these tests end as skipped, with a note.
 */
export function describeAppendedEvents(fixture: StoreFixture): void {
  describe('the events an append returns (AppendResult.events, optional)', () => {
    kitTest('result.events of a one-event append equal readStream of its version', async (context) => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('recorded');
      const result = await store.append(streamId, makeEvents(1, uniqueEventType('recorded')));
      await expectEventsAsRead(store, result, eventsOrSkip(result, context));
    });

    kitTest(
      'result.events of a batch after earlier events equal readStream of exactly its versions',
      async (context) => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('recorded');
        const type = uniqueEventType('recorded');
        await store.append(streamId, makeEvents(2, type), { streamType: 'order' });
        const batch = [
          ...makeEvents(2, type, 3),
          {
            type,
            data: { nested: [1, 'two'] },
            metadata: { user: 'u1' },
            schemaVersion: 3,
            occurredAt: SOME_TIME,
          },
        ];
        const result = await store.append(streamId, batch, { streamType: 'ignored' });
        await store.append(streamId, makeEvents(1, type, 6));
        const events = eventsOrSkip(result, context);
        await expectEventsAsRead(store, result, events);
        expect(events.map((e) => e.streamType)).toEqual(['order', 'order', 'order']);
      },
    );

    kitTest(
      'result.events are copies: changing the appended input afterwards changes neither them nor the store',
      async (context) => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('recorded');
        const data = { list: [1, 2], text: 'before' };
        const metadata = { user: 'u1' };
        const occurredAt = new Date(SOME_TIME.getTime());
        const result = await store.append(streamId, [
          { type: uniqueEventType('recorded'), data, metadata, occurredAt },
        ]);
        data.list.push(3);
        data.text = 'after';
        metadata.user = 'u2';
        occurredAt.setTime(0);
        const events = eventsOrSkip(result, context);
        await expectEventsAsRead(store, result, events);
        expect(events[0]).toMatchObject({
          data: { list: [1, 2], text: 'before' },
          metadata: { user: 'u1' },
        });
        expect(events[0]?.occurredAt.getTime()).toBe(SOME_TIME.getTime());
        (events[0]?.data as { text: string }).text = 'changed through result.events';
        expect((await store.readStream(streamId))[0]?.data).toEqual({ list: [1, 2], text: 'before' });
      },
    );

    kitTest(
      "an idempotent retry's result.events are absent, or the events the original append recorded",
      async (context) => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('recorded');
        const events = makeEvents(2, uniqueEventType('recorded'));
        const original = await store.append(streamId, events);
        const retried = await store.append(streamId, events);
        expect(resultFields(retried)).toEqual(resultFields(original));
        if (retried.events !== undefined) {
          await expectEventsAsRead(store, retried, retried.events);
        } else {
          // Absent is the usual answer; an adapter that never returns events showed nothing here.
          eventsOrSkip(original, context);
        }
      },
    );
  });
}

const SOME_TIME = new Date('2021-06-15T10:20:30.456Z');

/** `events` must be the append's events exactly as `readStream` returns its versions, field by field. */
async function expectEventsAsRead(
  store: EventStore,
  result: AppendResult,
  events: readonly RecordedEvent[],
): Promise<void> {
  const { streamId, firstVersion, lastVersion } = result;
  const read = await store.readStream(streamId, { fromVersion: firstVersion, toVersion: lastVersion });
  expect(read, `readStream of versions ${firstVersion}..${lastVersion}`).toHaveLength(
    lastVersion - firstVersion + 1,
  );
  expect(events, `result.events must equal readStream of versions ${firstVersion}..${lastVersion}`).toEqual(
    read,
  );
  expect(events.at(-1)?.position).toBe(result.lastPosition);
}
