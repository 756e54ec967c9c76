import type { AppendResult } from '@strata/core';
import { isDuplicateKey } from './mysql-errors.js';

/** How one append of a group ended once the transaction committed. */
export type AppendOutcome =
  | { kind: 'written'; result: AppendResult }
  /** The expected version did not hold; the queue checks the batch's ids before reporting it. */
  | { kind: 'conflict'; actualVersion: number };

/** An event id of the group is already stored (or being stored): the transaction must roll back. */
export class DuplicateEventIdSignal extends Error {
  constructor(cause: unknown) {
    super('an event id of the group already exists', { cause });
  }
}

/** A hook threw for the append at `index`: the transaction must roll back without it. */
export class AppendHookFailure extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super('an append hook threw');
  }
}

/** Runs a statement that writes event ids; a duplicate key becomes `DuplicateEventIdSignal`. */
export async function duplicateAware<T>(statement: Promise<T>): Promise<T> {
  try {
    return await statement;
  } catch (error) {
    if (isDuplicateKey(error)) throw new DuplicateEventIdSignal(error);
    throw error;
  }
}
