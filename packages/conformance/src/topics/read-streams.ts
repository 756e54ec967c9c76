import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { useStoreFixture } from '../store-fixture.js';
import { makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** `readStreams`: every requested id is a key, missing ones map to [], and big requests work. */
export function describeReadStreams(options: EventStoreConformanceOptions): void {
  describe('readStreams', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('read-streams');

    kitTest('returns each stream in version order, missing ones as [], duplicates once', async () => {
      const store = await fixture.open();
      const a = uniqueStreamId('many-a');
      const b = uniqueStreamId('many-b');
      const missing = uniqueStreamId('many-missing');
      await store.append(a, makeEvents(2, type));
      await store.append(b, makeEvents(3, type));
      await store.append(a, makeEvents(1, type));
      const result = await store.readStreams([b, missing, a, b, missing]);
      expect(result).toBeInstanceOf(Map);
      expect([...result.keys()].sort()).toEqual([a, b, missing].sort());
      expect(result.get(a)).toEqual(await store.readStream(a));
      expect(result.get(b)).toEqual(await store.readStream(b));
      expect(result.get(missing)).toEqual([]);
      expect(versionsOf(result.get(a) ?? [])).toEqual([1, 2, 3]);
    });

    kitTest('fromVersion applies to every stream', async () => {
      const store = await fixture.open();
      const a = uniqueStreamId('from-a');
      const b = uniqueStreamId('from-b');
      const c = uniqueStreamId('from-c');
      await store.append(a, makeEvents(5, type));
      await store.append(b, makeEvents(2, type));
      await store.append(c, makeEvents(3, type));
      const result = await store.readStreams([a, b, c], { fromVersion: 3 });
      expect(versionsOf(result.get(a) ?? [])).toEqual([3, 4, 5]);
      expect(result.get(b)).toEqual([]);
      expect(versionsOf(result.get(c) ?? [])).toEqual([3]);
      expect(result.get(a)).toEqual((await store.readStream(a)).slice(2));
      const fromZero = await store.readStreams([a, b], { fromVersion: 0 });
      expect(versionsOf(fromZero.get(a) ?? [])).toEqual(range(1, 5));
      const beyond = await store.readStreams([a, b, c], { fromVersion: 6 });
      expect([...beyond.values()]).toEqual([[], [], []]);
    });

    kitTest('an empty request returns an empty Map', async () => {
      const store = await fixture.open();
      const result = await store.readStreams([]);
      expect(result).toBeInstanceOf(Map);
      expect(result.size).toBe(0);
    });

    kitTest('1,500 ids in one call (forcing any chunking) return every stream, existing or not', async () => {
      const store = await fixture.open();
      const ids = Array.from({ length: 1500 }, (_, i) => uniqueStreamId(`bulk-${i}`));
      // Every 25th stream exists, with 1 to 3 events, spread over the whole request.
      const existing = ids.filter((_, i) => i % 25 === 0);
      const lengths = new Map(existing.map((id, i) => [id, (i % 3) + 1]));
      for (const [id, length] of lengths) await store.append(id, makeEvents(length, type));
      const result = await store.readStreams([...ids, ...existing]);
      expect(result.size).toBe(1500);
      const wrong: string[] = [];
      for (const id of ids) {
        const events = result.get(id);
        const expected = range(1, lengths.get(id) ?? 0);
        if (events === undefined) wrong.push(`${id}: missing key`);
        else if (JSON.stringify(versionsOf(events)) !== JSON.stringify(expected)) {
          wrong.push(`${id}: versions [${versionsOf(events)}], expected [${expected}]`);
        } else if (events.some((event) => event.streamId !== id))
          wrong.push(`${id}: holds another stream's events`);
      }
      expect(wrong).toEqual([]);
    });
  });
}
