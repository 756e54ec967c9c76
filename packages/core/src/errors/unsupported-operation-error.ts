import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * This store cannot do the operation in its current configuration (for example `readAll` on a Redis
 * Cluster, which keeps no global log). Use another operation, or a store that supports it.
 */
export class UnsupportedOperationError extends StrataError {
  static readonly code = 'STRATA_UNSUPPORTED';
  override readonly name: string = 'UnsupportedOperationError';
  readonly store: string;
  readonly operation: string;

  constructor(store: string, operation: string, reason: string) {
    super(UnsupportedOperationError.code, `[strata] [${store}] ${operation} is not supported: ${reason}`);
    this.store = store;
    this.operation = operation;
  }

  static override isInstance(error: unknown): error is UnsupportedOperationError {
    return hasErrorCode(error, UnsupportedOperationError.code);
  }
}
