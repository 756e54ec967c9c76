// What the append-notifier tests of every engine (store-postgres, store-redis) listen with: a
// listener that keeps each notice and error it hears, in order.

/** Liveness bounds for a loaded 2-core machine, for `vi.waitFor`; nothing here measures speed. */
export const NOTICE_LIVENESS = { timeout: 20_000, interval: 10 };

export function collectAppendNotices() {
  const notices = [];
  const errors = [];
  /** The last positions heard, leaving out the notices that only say "something may have been missed". */
  const positions = () => notices.flatMap((n) => (n.lastPosition === undefined ? [] : [n.lastPosition]));
  return {
    notices,
    errors,
    positions,
    listener: {
      onAppend: (n) => void notices.push(n),
      onError: (e) => void errors.push(e),
    },
  };
}
