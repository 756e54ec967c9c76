import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * The store could not reach its storage (server down, connection lost, database locked past the
 * timeout). Nothing was half-written: an append either committed before the failure or not at all.
 * Retry later; the store reconnects on the next call. The driver's error is in `cause`.
 */
export class StoreUnavailableError extends StrataError {
  static readonly code = 'STRATA_STORE_UNAVAILABLE';
  override readonly name: string = 'StoreUnavailableError';
  /** Which adapter failed, e.g. `sqlite`, `postgres`. */
  readonly store: string;

  constructor(store: string, cause: unknown) {
    super(
      StoreUnavailableError.code,
      `[strata] [${store}] storage is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.store = store;
  }

  static override isInstance(error: unknown): error is StoreUnavailableError {
    return hasErrorCode(error, StoreUnavailableError.code);
  }
}
