import { hasErrorCode, StrataError } from './strata-error.js';

/** The store was closed by its owner; create a new one. Retrying on this instance cannot succeed. */
export class StoreClosedError extends StrataError {
  static readonly code = 'STRATA_STORE_CLOSED';
  override readonly name: string = 'StoreClosedError';
  readonly store: string;

  constructor(store: string) {
    super(StoreClosedError.code, `[strata] [${store}] the store is closed.`);
    this.store = store;
  }

  static override isInstance(error: unknown): error is StoreClosedError {
    return hasErrorCode(error, StoreClosedError.code);
  }
}
