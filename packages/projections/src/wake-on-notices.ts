import type { AppendNotifier } from '@strata/core';

/**
 * Wakes the runners whenever `notifier` hears of an append, in this process or another (a store's
 * `store.appendNotifier`), so their read models follow at once instead of at the next poll. A lost
 * notifier connection goes to `onError` and the runners go on polling. Returns the function that
 * stops it. A runner's own `wakeOn` option does the same for one runner, for as long as it runs.
 */
export function wakeOnNotices(
  notifier: AppendNotifier,
  runners: Iterable<{ wake(): void }>,
  onError?: (error: unknown) => void,
): () => void {
  const targets = [...runners];
  return notifier.subscribe({
    onAppend: () => {
      for (const runner of targets) runner.wake();
    },
    onError: (error) => onError?.(error),
  });
}
