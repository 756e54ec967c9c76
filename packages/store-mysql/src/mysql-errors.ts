import { StoreUnavailableError, StrataError } from '@strata/core';

/** The adapter's name in `StoreUnavailableError` and `StoreClosedError`. */
export const STORE_NAME = 'mysql';

const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

/**
 * The server refused the data itself: a NULL, a value out of a column's range or type, a string
 * too long, a packet over `max_allowed_packet`, a trigger's SIGNAL, a CHECK constraint (3819 on
 * MySQL, 4025 on MariaDB). The same statement fails the same way every time.
 */
const REFUSED_DATA = new Set([1048, 1153, 1264, 1292, 1366, 1406, 1644, 3819, 4025]);

interface DriverError {
  errno?: unknown;
  code?: unknown;
  fatal?: unknown;
}

function errnoOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const errno = (error as DriverError).errno;
  return typeof errno === 'number' ? errno : undefined;
}

/** A unique key fired (stream row created concurrently, event id already stored). */
export function isDuplicateKey(error: unknown): boolean {
  return errnoOf(error) === ER_DUP_ENTRY;
}

/**
 * InnoDB gave up on a lock: a deadlock (it rolled the whole transaction back) or a lock wait
 * timeout (it rolled back only the statement; the store rolls back the rest). Neither says anything
 * about the stream's version, so the store retries the whole transaction.
 */
export function isLockConflict(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT;
}

export function isRefusedData(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno !== undefined && REFUSED_DATA.has(errno);
}

export function isLockWaitTimeout(error: unknown): boolean {
  return errnoOf(error) === ER_LOCK_WAIT_TIMEOUT;
}

/** mysql2's client-side statement timeout: the statement may still be running on the server. */
export function isClientTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as DriverError).code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  );
}

/** An error the server answered with (the connection is fine), as opposed to a network failure. */
export function isServerError(error: unknown): boolean {
  return errnoOf(error) !== undefined && (error as DriverError).fatal !== true;
}

/** Anything mysql2 or the server raised (server errors carry `errno`, network errors a `code`). */
export function isDriverError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, code, fatal } = error as DriverError;
  return typeof errno === 'number' || typeof code === 'string' || typeof fatal === 'boolean';
}

/**
 * Turns a driver failure into the contract's typed error. Races (duplicate keys, deadlocks) are
 * handled where the statement that raced is known; what reaches here means the server could not do
 * the work (unreachable, connection lost or killed, timed out, tables missing), so the caller may
 * retry later: `StoreUnavailableError`. Strata's own errors and the caller's (a hook's) pass through.
 */
export function toStoreError(error: unknown): unknown {
  if (StrataError.isInstance(error)) return error;
  if (isDriverError(error)) return new StoreUnavailableError(STORE_NAME, error);
  return error;
}
