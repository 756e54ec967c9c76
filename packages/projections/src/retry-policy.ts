import { StoreUnavailableError, ValidationError } from '@strata/core';

export interface RetryOptions {
  /** Tries of an event (or batch) whose handler keeps failing, before it is a poison event. Default 3. */
  maxAttempts?: number;
  /** Retries after a transient failure (storage unreachable, deadlock, timeout) before the runner stops. Default 10. */
  transientRetries?: number;
  /** First backoff; it doubles with every retry, up to `maxDelayMs`, with full jitter. Default 50 ms. */
  baseDelayMs?: number;
  /** Default 5,000 ms. */
  maxDelayMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const resolved = {
    maxAttempts: options.maxAttempts ?? 3,
    transientRetries: options.transientRetries ?? 10,
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 5_000,
  };
  if (!Number.isSafeInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new ValidationError('retry.maxAttempts', 'must be an integer >= 1');
  }
  if (!Number.isSafeInteger(resolved.transientRetries) || resolved.transientRetries < 0) {
    throw new ValidationError('retry.transientRetries', 'must be an integer >= 0');
  }
  if (!(resolved.baseDelayMs >= 0) || !(resolved.maxDelayMs >= resolved.baseDelayMs)) {
    throw new ValidationError('retry.maxDelayMs', 'must be >= baseDelayMs >= 0');
  }
  return resolved;
}

/**
 * Full jitter: a random delay up to the exponential bound, so runners that failed together do
 * not retry together.
 */
export function backoffDelay(
  retry: number,
  policy: ResolvedRetry,
  random: () => number = Math.random,
): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * bound);
}

/** Driver codes of failures that go away by themselves: lost connections, deadlocks, timeouts. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  '40001', // PostgreSQL serialization failure
  '40P01', // PostgreSQL deadlock
  '57P01', // PostgreSQL admin shutdown
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'PROTOCOL_CONNECTION_LOST',
  'SQLITE_BUSY',
]);

/** A failure worth retrying as is: Strata's `StoreUnavailableError`, or a driver's transient code. */
export function isTransient(error: unknown): boolean {
  if (StoreUnavailableError.isInstance(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}
