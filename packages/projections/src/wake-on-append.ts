import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@strata/core';

/**
 * The store, with every successful append in this process waking the given runners, so a read
 * model follows local writes at once instead of at its next poll.
 */
export function wakeOnAppend(store: EventStore, runners: Iterable<{ wake(): void }>): EventStore {
  const targets = [...runners];
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> => {
        const result = await target.append(streamId, events, options);
        for (const runner of targets) runner.wake();
        return result;
      };
    },
  });
}
