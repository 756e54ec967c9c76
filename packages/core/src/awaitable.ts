/**
 * A value now or a promise of it. Transactional capabilities use it because SQLite's transactions
 * are synchronous (better-sqlite3 cannot hold one open across an `await`) and the servers' are not:
 * the same contract serves both, and a caller on SQLite stays synchronous from end to end.
 */
export type Awaitable<T> = T | Promise<T>;

/** True for a promise or any thenable: what a synchronous transaction must refuse. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `next` on `value` without leaving synchronous code when `value` is not a promise, so a chain
 * of steps inside a SQLite transaction stays synchronous, and one on a server awaits each step.
 */
export function thenOrNow<T, R>(value: Awaitable<T>, next: (value: T) => Awaitable<R>): Awaitable<R> {
  return isPromiseLike(value) ? (value as Promise<T>).then(next) : next(value as T);
}
