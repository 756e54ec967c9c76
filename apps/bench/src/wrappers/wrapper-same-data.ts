import { isDeepStrictEqual } from 'node:util';
import type { RecordedEvent } from '@strata/core';

/**
 * Throws unless `yardstick` read the same events as `reference`, at the same type and schema
 * version, with the same data, key order included: a yardstick that did less (a field left sealed,
 * a value skipped, an upcasting step or the version bump left out) cannot pass for a faster read.
 * Untimed, once a run.
 */
export function assertSameData(
  what: string,
  reference: readonly RecordedEvent[],
  yardstick: readonly RecordedEvent[],
): void {
  if (reference.length !== yardstick.length) {
    throw new Error(
      `${what}: the yardstick read ${yardstick.length} events, the reference ${reference.length}`,
    );
  }
  for (let i = 0; i < reference.length; i++) {
    const expected = reference[i]!;
    const actual = yardstick[i]!;
    const same =
      expected.id === actual.id &&
      expected.type === actual.type &&
      expected.schemaVersion === actual.schemaVersion &&
      isDeepStrictEqual(expected.data, actual.data) &&
      Object.keys(expected.data as object).join() === Object.keys(actual.data as object).join();
    if (!same) {
      throw new Error(
        `${what}: event ${i} (${expected.streamId} version ${expected.version}) differs: ` +
          `expected ${describe(expected)}, the yardstick gave ${describe(actual)}`,
      );
    }
  }
}

const describe = (event: RecordedEvent) =>
  `${event.type} v${event.schemaVersion} ${JSON.stringify(event.data)}`;
