import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * The global log has no position left for this append: positions end at 2^63 - 1
 * (`MAX_POSITION`), and they are never reused or wrapped around. Nothing was written. Every later
 * append fails the same way; move on to a new log (archive this one, start a new database).
 */
export class PositionsExhaustedError extends StrataError {
  override readonly name: string = 'PositionsExhaustedError';
  static readonly code = 'STRATA_POSITIONS_EXHAUSTED';
  /** Which adapter refused, e.g. `mysql`, `redis`. */
  readonly store: string;

  constructor(store: string) {
    super(
      PositionsExhaustedError.code,
      `[strata] [${store}] the log has no position left for this append (positions end at 2^63 - 1); ` +
        'nothing was written. Archive this log and continue in a new one.',
    );
    this.store = store;
  }

  static override isInstance(error: unknown): error is PositionsExhaustedError {
    return hasErrorCode(error, PositionsExhaustedError.code);
  }
}
