import type { ExpectedVersion } from '../event.js';
import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * Another writer changed the stream since the caller read it. Reload the stream (or the
 * aggregate), re-run the decision and append again; `AggregateRepository.update` does that for you.
 */
export class ConcurrencyError extends StrataError {
  static readonly code = 'STRATA_CONCURRENCY';
  override readonly name: string = 'ConcurrencyError';
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  /** The stream's version when the append was refused (0 when the stream does not exist). */
  readonly actualVersion: number;

  constructor(streamId: string, expectedVersion: ExpectedVersion, actualVersion: number) {
    super(
      ConcurrencyError.code,
      `Stream "${streamId}" is at version ${actualVersion}, but the append expected ${describe(expectedVersion)}. ` +
        'Reload the stream and retry the command.',
    );
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  static override isInstance(error: unknown): error is ConcurrencyError {
    return hasErrorCode(error, ConcurrencyError.code);
  }
}

function describe(expected: ExpectedVersion): string {
  if (typeof expected === 'number') return `version ${expected}`;
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'stream_exists') return 'an existing stream';
  return 'any version';
}
