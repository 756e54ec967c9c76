import { hasErrorCode, StrataError } from './strata-error.js';

/** The stream (or aggregate) has no events. Check the id, or create it first. */
export class StreamNotFoundError extends StrataError {
  static readonly code = 'STRATA_STREAM_NOT_FOUND';
  override readonly name: string = 'StreamNotFoundError';
  readonly streamId: string;

  constructor(streamId: string) {
    super(StreamNotFoundError.code, `Stream "${streamId}" does not exist.`);
    this.streamId = streamId;
  }

  static override isInstance(error: unknown): error is StreamNotFoundError {
    return hasErrorCode(error, StreamNotFoundError.code);
  }
}
