import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * The input was rejected and nothing was written. `path` says where, e.g.
 * `events[2].data.items[0].price`. Retrying the same input fails the same way. When the storage
 * itself refused the data (a constraint or a limit only the server knows), its error is in `cause`.
 */
export class ValidationError extends StrataError {
  static readonly code = 'STRATA_VALIDATION';
  override readonly name: string = 'ValidationError';
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(ValidationError.code, `Invalid ${path}: ${problem}`, options);
    this.path = path;
  }

  static override isInstance(error: unknown): error is ValidationError {
    return hasErrorCode(error, ValidationError.code);
  }
}
