import { hasErrorCode, StrataError } from './strata-error.js';

/** What a refused rewrite found at the version it targeted. */
export interface StoredEventIdentity {
  id: string;
  position: bigint;
  type: string;
  schemaVersion: number;
}

/**
 * A rewrite's guard did not hold: the event at that stream version is missing, or is not the one
 * the caller read (another id or position), or its type or schema version changed since (another
 * migration rewrote it first, or the caller expected wrongly). Nothing was written. Read the event
 * again and decide again; a migration that meets this skips an event someone else migrated.
 */
export class EventRewriteConflictError extends StrataError {
  static readonly code = 'STRATA_EVENT_REWRITE_CONFLICT';
  override readonly name: string = 'EventRewriteConflictError';
  readonly streamId: string;
  readonly version: number;
  /** What the rewrite expected to find. */
  readonly expected: StoredEventIdentity;
  /** What the store holds at that version; `undefined` when there is no event there. */
  readonly actual: StoredEventIdentity | undefined;

  constructor(
    streamId: string,
    version: number,
    expected: StoredEventIdentity,
    actual: StoredEventIdentity | undefined,
  ) {
    super(
      EventRewriteConflictError.code,
      `The rewrite of stream "${streamId}" version ${version} expected ${describe(expected)}, but the store ` +
        `holds ${actual === undefined ? 'no event there' : describe(actual)}. Nothing was written: ` +
        'read the event again before rewriting it.',
    );
    this.streamId = streamId;
    this.version = version;
    this.expected = expected;
    this.actual = actual;
  }

  static override isInstance(error: unknown): error is EventRewriteConflictError {
    return hasErrorCode(error, EventRewriteConflictError.code);
  }
}

function describe(event: StoredEventIdentity): string {
  return `event ${event.id} at position ${event.position}, "${event.type}" at schema version ${event.schemaVersion}`;
}
