import type { AppendListener, AppendNotifier } from './append-notifier.js';

/** A listening connection an adapter opened: it reports notices and its loss to these handlers. */
export interface AppendChannelHandlers {
  /** A committed append's last position, as the adapter parsed it from its payload. */
  notice(lastPosition: bigint): void;
  /** The connection is gone (or unusable); the listener closes it and opens a new one. Once per channel. */
  lost(error: unknown): void;
}

export interface OpenAppendChannel {
  close(): Promise<void>;
}

/** How an adapter opens its listening connection; resolves once it listens. */
export type AppendChannelOpener = (handlers: AppendChannelHandlers) => Promise<OpenAppendChannel>;

export interface SharedAppendListenerOptions {
  /** First delay before reopening a lost connection, doubling up to `maxReconnectMs`. Default 100. */
  minReconnectMs?: number;
  /** Default 5,000. */
  maxReconnectMs?: number;
}

/**
 * The part of an `AppendNotifier` every adapter shares: one connection for all listeners, opened on
 * the first `subscribe` and closed after the last one leaves; a lost or refused connection is
 * reported to every listener and reopened with backoff; each (re)open sends a notice without a
 * position, since notices may have been missed. Adapter authors: give it an opener.
 */
export class SharedAppendListener implements AppendNotifier {
  private readonly listeners = new Set<AppendListener>();
  private readonly minReconnectMs: number;
  private readonly maxReconnectMs: number;
  private channel: OpenAppendChannel | undefined;
  /** The current run of open, listen, lose, reopen; undefined while nobody listens. */
  private run: { active: boolean; wake?: () => void } | undefined;
  private done: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly open: AppendChannelOpener,
    options: SharedAppendListenerOptions = {},
  ) {
    this.minReconnectMs = options.minReconnectMs ?? 100;
    this.maxReconnectMs = options.maxReconnectMs ?? 5_000;
  }

  /** True while the connection is open and listening. */
  get listening(): boolean {
    return this.channel !== undefined;
  }

  subscribe(listener: AppendListener): () => void {
    if (this.closed) {
      this.report([listener], new Error('the store was closed: no append notices will come'));
      return () => {};
    }
    this.listeners.add(listener);
    if (this.run === undefined) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /** Stops listening for good; the store's `close()` calls it. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.stop();
  }

  private start(): void {
    const run: { active: boolean; wake?: () => void } = { active: true };
    this.run = run;
    this.done = this.keepListening(run);
  }

  private async stop(): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    run.active = false;
    run.wake?.();
    this.run = undefined;
    await this.done;
  }

  private async keepListening(run: { active: boolean; wake?: () => void }): Promise<void> {
    let delay = this.minReconnectMs;
    while (run.active) {
      let lostWith: ((error: unknown) => void) | undefined;
      const lost = new Promise<unknown>((resolve) => {
        lostWith = resolve;
      });
      let channel: OpenAppendChannel;
      try {
        channel = await this.open({
          notice: (lastPosition) => {
            if (run.active) this.dispatch({ lastPosition });
          },
          lost: (error) => lostWith!(error),
        });
      } catch (error) {
        this.report(this.listeners, error);
        await this.pause(run, delay);
        delay = Math.min(this.maxReconnectMs, delay * 2);
        continue;
      }
      if (!run.active) {
        await channel.close().catch(() => undefined);
        return;
      }
      this.channel = channel;
      delay = this.minReconnectMs;
      // Anything appended while no connection listened went unannounced.
      this.dispatch({ lastPosition: undefined });
      const stopped = new Promise<'stopped'>((resolve) => {
        run.wake = () => resolve('stopped');
      });
      const outcome = await Promise.race([lost, stopped]);
      this.channel = undefined;
      run.wake = undefined;
      await channel.close().catch(() => undefined);
      if (outcome === 'stopped' || !run.active) return;
      this.report(this.listeners, outcome);
      await this.pause(run, delay);
      delay = Math.min(this.maxReconnectMs, delay * 2);
    }
  }

  private pause(run: { active: boolean; wake?: () => void }, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        run.wake = undefined;
        resolve();
      }
      run.wake = done;
    });
  }

  private dispatch(notice: { lastPosition: bigint | undefined }): void {
    for (const listener of this.listeners) {
      try {
        listener.onAppend(notice);
      } catch {
        // One broken listener must not keep the others from hearing of the append.
      }
    }
  }

  private report(listeners: Iterable<AppendListener>, error: unknown): void {
    for (const listener of listeners) {
      try {
        listener.onError?.(error);
      } catch {
        // A broken error handler must not stop the notices.
      }
    }
  }
}
