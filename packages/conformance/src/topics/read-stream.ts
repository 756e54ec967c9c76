import type { ReadStreamOptions } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { useStoreFixture } from '../store-fixture.js';
import { makeEvents, numbersOf, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

const STREAM_LENGTH = 10;

/** [options, expected versions] for a stream at version 10. Ranges are inclusive; limit applies after direction. */
const CASES: [ReadStreamOptions, number[]][] = [
  [{}, range(1, 10)],
  [{ fromVersion: 1 }, range(1, 10)],
  [{ fromVersion: 0 }, range(1, 10)],
  [{ fromVersion: 3 }, range(3, 10)],
  [{ fromVersion: 10 }, [10]],
  [{ fromVersion: 11 }, []],
  [{ fromVersion: 1000 }, []],
  [{ toVersion: 4 }, range(1, 4)],
  [{ toVersion: 1 }, [1]],
  [{ toVersion: 0 }, []],
  [{ toVersion: 10 }, range(1, 10)],
  [{ toVersion: 100 }, range(1, 10)],
  [{ fromVersion: 3, toVersion: 5 }, [3, 4, 5]],
  [{ fromVersion: 5, toVersion: 5 }, [5]],
  [{ fromVersion: 6, toVersion: 5 }, []],
  [{ fromVersion: 0, toVersion: 0 }, []],
  [{ limit: 3 }, [1, 2, 3]],
  [{ limit: 0 }, []],
  [{ limit: 1 }, [1]],
  [{ limit: 10 }, range(1, 10)],
  [{ limit: 100 }, range(1, 10)],
  [{ fromVersion: 4, limit: 2 }, [4, 5]],
  [{ fromVersion: 9, limit: 5 }, [9, 10]],
  [{ fromVersion: 2, toVersion: 8, limit: 3 }, [2, 3, 4]],
  [{ direction: 'forward', fromVersion: 2, toVersion: 3 }, [2, 3]],
  [{ direction: 'backward' }, range(1, 10).reverse()],
  [{ direction: 'backward', limit: 3 }, [10, 9, 8]],
  [{ direction: 'backward', limit: 0 }, []],
  [{ direction: 'backward', fromVersion: 3, toVersion: 6 }, [6, 5, 4, 3]],
  [{ direction: 'backward', fromVersion: 3, toVersion: 6, limit: 2 }, [6, 5]],
  [{ direction: 'backward', toVersion: 4, limit: 2 }, [4, 3]],
  [{ direction: 'backward', fromVersion: 8 }, [10, 9, 8]],
  [{ direction: 'backward', fromVersion: 8, limit: 1 }, [10]],
  [{ direction: 'backward', fromVersion: 11 }, []],
  [{ direction: 'backward', toVersion: 0 }, []],
  [{ direction: 'backward', toVersion: 100, limit: 2 }, [10, 9]],
  [{ direction: 'backward', fromVersion: 0, toVersion: 1 }, [1]],
];

/** `readStream` with every combination of range, limit and direction. */
export function describeReadStream(options: EventStoreConformanceOptions): void {
  describe('readStream', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('read-stream');

    kitTest(`returns the right versions for ${CASES.length} combinations of options`, async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('read-stream');
      // Several appends, so a range spans batches.
      await store.append(streamId, makeEvents(3, type, 1));
      await store.append(streamId, makeEvents(4, type, 4));
      await store.append(streamId, makeEvents(3, type, 8));
      const all = await store.readStream(streamId);
      expect(versionsOf(all)).toEqual(range(1, STREAM_LENGTH));
      const failures: string[] = [];
      for (const [readOptions, expected] of CASES) {
        const read = await store.readStream(streamId, readOptions);
        const versions = versionsOf(read);
        if (JSON.stringify(versions) !== JSON.stringify(expected)) {
          failures.push(`${JSON.stringify(readOptions)}: expected [${expected}], got [${versions}]`);
        } else {
          // Each event is the one stored at that version, not only the right number.
          expect(numbersOf(read)).toEqual(expected);
          expect(read).toEqual(expected.map((v) => all[v - 1]));
        }
      }
      expect(failures).toEqual([]);
    });

    kitTest('a missing stream reads as [] whatever the options', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('read-missing');
      for (const [readOptions] of CASES) expect(await store.readStream(streamId, readOptions)).toEqual([]);
    });

    kitTest('a stream does not include events of a stream whose id it prefixes', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('read-prefix');
      await store.append(streamId, makeEvents(2, type));
      await store.append(`${streamId}-child`, makeEvents(3, type));
      await store.append(`${streamId}0`, makeEvents(1, type));
      expect(versionsOf(await store.readStream(streamId))).toEqual([1, 2]);
      expect(await store.streamVersion(streamId)).toBe(2);
    });

    kitTest('reads see appends made after an earlier read', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('read-fresh');
      await store.append(streamId, makeEvents(1, type));
      expect(await store.readStream(streamId)).toHaveLength(1);
      await store.append(streamId, makeEvents(1, type, 2));
      expect(numbersOf(await store.readStream(streamId))).toEqual([1, 2]);
      expect(numbersOf(await store.readStream(streamId, { direction: 'backward', limit: 1 }))).toEqual([2]);
    });
  });
}
