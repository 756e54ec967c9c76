import type { NormalizedReadStream, ReadStreamOptions, RecordedEvent } from '@strata/core';

const OPEN_END = Number.MAX_SAFE_INTEGER;

/** The normalized request back as options for the warm store. */
export function toReadOptions(range: NormalizedReadStream): ReadStreamOptions {
  const options: ReadStreamOptions = { fromVersion: range.fromVersion, direction: range.direction };
  if (range.toVersion !== OPEN_END) options.toVersion = range.toVersion;
  if (range.limit !== undefined) options.limit = range.limit;
  return options;
}

/**
 * Whether the answer depends only on versions up to `toVersion`, so a copy reaching that far
 * answers it whatever was appended since: versions never change once written.
 */
export function settledBy(range: NormalizedReadStream, toVersion: number): boolean {
  if (range.limit === 0 || range.toVersion <= toVersion) return true;
  return (
    range.direction === 'forward' &&
    range.limit !== undefined &&
    range.fromVersion + range.limit - 1 <= toVersion
  );
}

/**
 * The answer to `range` from `events`: ascending, contiguous, and holding every version of the
 * range that the answer needs (more is fine).
 */
export function answer(events: readonly RecordedEvent[], range: NormalizedReadStream): RecordedEvent[] {
  const inRange = events.filter((e) => e.version >= range.fromVersion && e.version <= range.toVersion);
  if (range.direction === 'forward')
    return range.limit === undefined ? inRange : inRange.slice(0, range.limit);
  const newest =
    range.limit === undefined ? inRange : inRange.slice(Math.max(0, inRange.length - range.limit));
  return newest.reverse();
}

/** A warm answer in ascending order. */
export function ascending(events: readonly RecordedEvent[], range: NormalizedReadStream): RecordedEvent[] {
  return range.direction === 'backward' ? [...events].reverse() : [...events];
}

/**
 * Whether an answer (ascending) ends at the stream's end, so it may become the hot copy: the range
 * is open-ended and neither a forward limit nor anything else cut it short.
 */
export function reachesStreamEnd(events: readonly RecordedEvent[], range: NormalizedReadStream): boolean {
  if (events.length === 0 || range.toVersion !== OPEN_END) return false;
  if (range.direction === 'forward' && range.limit !== undefined && events.length >= range.limit)
    return false;
  return isContiguous(events);
}

/**
 * Whether an answer (ascending) is a full page of a forward, open-ended read with a limit: it may
 * or may not end at the stream's end, so only a later read can tell.
 */
export function isFullForwardPage(events: readonly RecordedEvent[], range: NormalizedReadStream): boolean {
  return (
    range.direction === 'forward' &&
    range.toVersion === OPEN_END &&
    range.limit !== undefined &&
    range.limit > 0 &&
    events.length === range.limit &&
    isContiguous(events)
  );
}

export function isContiguous(events: readonly RecordedEvent[]): boolean {
  const first = events[0]?.version ?? 0;
  return events.every((event, i) => event.version === first + i);
}

export { OPEN_END };
