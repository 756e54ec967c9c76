import { type EventStore, MAX_POSITION } from '@strata/core';

/** The first and the last position of the log, or `undefined` for an empty log. */
export interface LogSpan {
  first: bigint;
  last: bigint;
}

/**
 * Finds the log's last position with `readAll({ after, limit: 1 })` probes: doubling steps until
 * one finds nothing, then halving the gap. About two probes per bit of the log's length, each one
 * indexed read of one event, so a rebuild can say how far it has to go without counting the log.
 */
export async function findLogSpan(store: EventStore): Promise<LogSpan | undefined> {
  const [first] = await store.readAll({ limit: 1 });
  if (first === undefined) return undefined;
  const after = async (position: bigint) => (await store.readAll({ after: position, limit: 1 }))[0];
  /** An event exists at `low`; none exists after `high`. */
  let low = first.position;
  let high = MAX_POSITION;
  for (let step = 1n; ; step *= 2n) {
    // Bigints have no Math.min: stop at the highest position a store can hold.
    const probe = MAX_POSITION - low <= step ? MAX_POSITION : low + step;
    const found = await after(probe);
    if (found === undefined) {
      high = probe;
      break;
    }
    low = found.position;
  }
  while (high > low) {
    const next = await after(low);
    if (next === undefined) break;
    low = next.position;
    if (low >= high) break;
    const middle: bigint = low + (high - low) / 2n;
    const found = await after(middle);
    if (found === undefined) high = middle;
    else low = found.position;
  }
  return { first: first.position, last: low };
}
