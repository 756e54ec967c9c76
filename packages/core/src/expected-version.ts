import { ConcurrencyError } from './errors/concurrency-error.js';
import type { ExpectedVersion } from './event.js';

/** True when a stream at `actualVersion` satisfies `expected`. */
export function satisfiesExpectedVersion(expected: ExpectedVersion, actualVersion: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actualVersion === 0;
  if (expected === 'stream_exists') return actualVersion > 0;
  return actualVersion === expected;
}

/** Throws `ConcurrencyError` unless a stream at `actualVersion` satisfies `expected`. */
export function assertExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actualVersion: number,
): void {
  if (!satisfiesExpectedVersion(expected, actualVersion)) {
    throw new ConcurrencyError(streamId, expected, actualVersion);
  }
}
