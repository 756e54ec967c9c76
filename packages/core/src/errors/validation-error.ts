import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * The input was rejected before anything was written. `path` says where, e.g.
 * `events[2].data.items[0].price`.
 */
export class ValidationError extends StrataError {
  static readonly code = 'STRATA_VALIDATION';
  override readonly name: string = 'ValidationError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super(ValidationError.code, `Invalid ${path}: ${problem}`);
    this.path = path;
  }

  static override isInstance(error: unknown): error is ValidationError {
    return hasErrorCode(error, ValidationError.code);
  }
}
