import { type RecordedEvent, StrataError } from '@strata/core';

/**
 * A projector's handler kept failing on one event, and the runner stopped there: it had no
 * dead-letter store to set the event aside, or its policy is to stop. The checkpoint is before
 * the event, so a restart after the handler is fixed applies it.
 */
export class PoisonEventError extends StrataError {
  override readonly name: string = 'PoisonEventError';
  static readonly code = 'STRATA_POISON_EVENT';
  readonly projector: string;
  readonly position: bigint;
  readonly eventId: string;

  constructor(projector: string, event: RecordedEvent, cause: unknown) {
    super(
      PoisonEventError.code,
      `[strata] [projections] projector "${projector}" keeps failing on event ${event.id} ` +
        `(${event.type}, position ${event.position}); fix the handler and start the runner again, ` +
        'or give it a dead-letter store to set such events aside and go on',
      { cause },
    );
    this.projector = projector;
    this.position = event.position;
    this.eventId = event.id;
  }

  static override isInstance(error: unknown): error is PoisonEventError {
    return StrataError.isInstance(error) && error.code === PoisonEventError.code;
  }
}
