import { StrataError } from '@strata/core';

/** What an `IntegrityError` is about: an event's field, a snapshot's state, or a stored data key. */
export interface IntegrityTarget {
  streamId?: string;
  /** The event's or the snapshot's stream version. */
  version?: number;
  eventId?: string;
  eventType?: string;
  /** The encrypted field's path, e.g. `card.number`. */
  field?: string;
  subjectId?: string;
}

/**
 * A ciphertext did not authenticate: it was changed in storage, moved to another field or event,
 * or the key that should open it is not the one that made it (a wrong master key in the
 * configuration). Never retried and never turned into data: restore the stored value or the key.
 * A subject whose keys were destroyed is not an integrity failure: its fields read as redacted.
 */
export class IntegrityError extends StrataError {
  static readonly code = 'STRATA_INTEGRITY';
  override readonly name: string = 'IntegrityError';
  readonly streamId: string | undefined;
  readonly version: number | undefined;
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly field: string | undefined;
  readonly subjectId: string | undefined;

  constructor(target: IntegrityTarget, problem: string, options?: { cause?: unknown }) {
    super(IntegrityError.code, `Integrity check failed for ${describeTarget(target)}: ${problem}`, options);
    this.streamId = target.streamId;
    this.version = target.version;
    this.eventId = target.eventId;
    this.eventType = target.eventType;
    this.field = target.field;
    this.subjectId = target.subjectId;
  }

  static override isInstance(error: unknown): error is IntegrityError {
    return StrataError.isInstance(error) && error.code === IntegrityError.code;
  }
}

function describeTarget(target: IntegrityTarget): string {
  const parts: string[] = [];
  if (target.field !== undefined) parts.push(`field "${target.field}" of`);
  if (target.eventId !== undefined) {
    parts.push(
      `event ${target.eventId} ("${target.eventType}", stream "${target.streamId}", version ${target.version})`,
    );
  } else if (target.streamId !== undefined) {
    parts.push(`the snapshot of stream "${target.streamId}" at version ${target.version}`);
  } else {
    parts.push(`the data key of subject "${target.subjectId}"`);
  }
  return parts.join(' ');
}
