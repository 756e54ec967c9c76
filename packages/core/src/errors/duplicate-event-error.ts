import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * An event id in the batch is already stored, and the batch is not an exact retry of an earlier
 * append to this stream (same ids, same order). Event ids must be unique across the store.
 */
export class DuplicateEventError extends StrataError {
  static readonly code = 'STRATA_DUPLICATE_EVENT';
  override readonly name: string = 'DuplicateEventError';
  readonly eventId: string;
  /** The stream the append targeted. */
  readonly streamId: string;
  /** The stream that already holds the event, when known. */
  readonly existingStreamId: string | undefined;

  constructor(eventId: string, streamId: string, existingStreamId?: string) {
    super(
      DuplicateEventError.code,
      `Event id "${eventId}" already exists${existingStreamId === undefined ? '' : ` in stream "${existingStreamId}"`}; ` +
        `the append to "${streamId}" was refused. Give every event a new id, or retry the original batch unchanged.`,
    );
    this.eventId = eventId;
    this.streamId = streamId;
    this.existingStreamId = existingStreamId;
  }

  static override isInstance(error: unknown): error is DuplicateEventError {
    return hasErrorCode(error, DuplicateEventError.code);
  }
}
