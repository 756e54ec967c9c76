/**
 * What an append notice says. Never the events themselves: a listener reads the log for those.
 */
export interface AppendNotice {
  /**
   * The last position of a committed append, or `undefined` when the source (re)started listening
   * and notices may have been missed meanwhile: read the log to be sure.
   */
  lastPosition: bigint | undefined;
}

/** Receives notices from an `AppendNotifier`. */
export interface AppendListener {
  /** Called after an append committed (in any process), and with no position after a (re)connect. */
  onAppend(notice: AppendNotice): void;
  /**
   * Called when the notifier's connection is lost or cannot be opened. It reconnects by itself; until
   * then no notices arrive, so keep polling: notices only make a reader early, never correct.
   */
  onError?(error: unknown): void;
}

/**
 * "Tell me when something was appended", across processes: PostgreSQL LISTEN/NOTIFY, Redis pub/sub.
 * A store that has one exposes it as `store.appendNotifier`.
 *
 * Rules every notifier keeps:
 * - A notice is sent only after the append committed, and carries no event data.
 * - Notices are scoped to the store's storage (schema and table prefix, key prefix): two stores over
 *   different storage never wake each other.
 * - One listening connection per notifier, however many listeners subscribe; it is opened on the
 *   first `subscribe` and closed when the last listener leaves or the store closes.
 * - Delivery is best effort: a lost connection drops notices until it is back (reported through
 *   `onError`), and each (re)connect sends a notice without a position.
 */
export interface AppendNotifier {
  /** Starts delivering notices to `listener`; returns the function that stops it. Never throws. */
  subscribe(listener: AppendListener): () => void;
}
