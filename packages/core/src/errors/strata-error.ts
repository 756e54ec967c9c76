const STRATA_ERROR = Symbol.for('strata.error');

/**
 * Base class of every error Strata throws on purpose.
 *
 * `instanceof` fails when two copies of `@strata/core` end up in one program (a common bundling
 * accident), so every class also carries a `Symbol.for` marker and a static `isInstance()` that
 * checks it. Prefer `isInstance()` in code that must work across package boundaries.
 *
 * A subclass declares `override readonly name = 'MyError'`, so the name survives bundling.
 */
export class StrataError extends Error {
  readonly [STRATA_ERROR] = true;
  /** Stable, machine-readable identifier of the failure, e.g. `STRATA_CONCURRENCY`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Each subclass states its name as a string: bundlers rename classes (`_ConcurrencyError`) and
    // minifiers shorten them, so a class's own name is only a fallback for subclasses that do not.
    this.name = new.target === StrataError ? 'StrataError' : new.target.name;
  }

  static isInstance(error: unknown): error is StrataError {
    return (
      typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[STRATA_ERROR] === true
    );
  }
}

/** Checks the error's code, so the check survives duplicate package copies. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return StrataError.isInstance(error) && error.code === code;
}
