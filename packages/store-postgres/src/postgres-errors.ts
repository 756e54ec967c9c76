import { StoreUnavailableError, StrataError } from '@strata/core';

/** The adapter's name in `StoreUnavailableError` and `StoreClosedError`. */
export const STORE_NAME = 'postgres';

/** The SQLSTATE of a server error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * The position sequence cannot hand out the positions an append needs: `nextval` past its
 * MAXVALUE (2^63 - 1), or the bigint arithmetic that reserves a batch's positions overflowing.
 * Versions are `integer`, so their overflow ("integer out of range") is not this.
 */
export function isPositionLimit(error: unknown): boolean {
  const state = sqlState(error);
  if (state === '2200H') return true;
  return state === '22003' && error instanceof Error && /bigint|sequence/.test(error.message);
}

/**
 * The server refused the data itself: a value out of a column's range or type (class 22), a
 * constraint (class 23, but for unique keys, which are races), an exception a trigger raised
 * (P0001). The same statement fails the same way every time, so it is never retried.
 */
export function isRefusedData(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined || state === '23505' || isPositionLimit(error)) return false;
  return state.startsWith('22') || state.startsWith('23') || state === 'P0001';
}

/** A function the statement calls does not exist (undefined_function): tables older than the code. */
export function isMissingFunction(error: unknown): boolean {
  return sqlState(error) === '42883';
}

/** Deadlocks and serialization failures: the transaction was rolled back and can simply run again. */
export function isTransient(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/**
 * Turns a driver failure into the contract's typed error. Socket errors, pool and query timeouts,
 * a terminated backend and every server error that reaches here mean the database could not do the
 * work (server down or restarting, connection killed, statement timeout, tables missing): retrying
 * later can succeed, so it is a `StoreUnavailableError`. Races (unique violations, deadlocks) are
 * handled before this, where the statement that raced is known. Other errors pass through.
 */
export function toStoreError(error: unknown): unknown {
  if (StrataError.isInstance(error)) return error;
  if (isDriverError(error)) return new StoreUnavailableError(STORE_NAME, error);
  return error;
}

function isDriverError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (sqlState(error) !== undefined) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE...
  // node-postgres reports lost connections and its own timeouts with plain messages.
  return /connection|terminated|timeout|not queryable|pool/i.test(error.message);
}
