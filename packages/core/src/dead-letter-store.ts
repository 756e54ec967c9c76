/** What a handler threw, as plain data a store can keep (see `deadLetterErrorOf`). */
export interface DeadLetterError {
  name: string;
  message: string;
  /** `null` when the thrown value had no stack. */
  stack: string | null;
}

/**
 * An event a projector gave up on (a poison event): where it is, what it was, why it failed and
 * how often. One per (projector, position).
 */
export interface DeadLetter {
  projector: string;
  /** The event's global position. */
  position: bigint;
  eventId: string;
  streamId: string;
  /** The event's version in its stream. */
  version: number;
  eventType: string;
  error: DeadLetterError;
  /** How many times the handler failed on it, 1 or more. */
  attempts: number;
  /** When it last failed, to the millisecond. */
  failedAt: Date;
}

export interface ListDeadLettersOptions {
  /** Only letters at positions after this one (exclusive), for the next page. */
  after?: bigint;
  /** At most this many (1 to `MAX_LIST_LIMIT`; default 100). */
  limit?: number;
}

/**
 * Where projectors put the events they gave up on, so that nothing is dropped silently: each can be
 * listed, retried (re-run the handler, then remove the letter) or discarded (remove it). Every
 * adapter keeps them beside its checkpoints; the conformance kit's `describeDeadLetterStore`
 * checks the rules below.
 */
export interface DeadLetterStore {
  /**
   * Records a dead letter. Adding one for a (projector, position) that already has one replaces it
   * (new error, attempts and `failedAt`), never duplicates it. `failedAt` defaults to now.
   */
  addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void>;
  /** One projector's dead letters in position order, a page at a time. */
  listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  countDeadLetters(projector: string): Promise<number>;
  /** Removes one (retried and fixed, or discarded); says whether it was there. */
  removeDeadLetter(projector: string, position: bigint): Promise<boolean>;
}
