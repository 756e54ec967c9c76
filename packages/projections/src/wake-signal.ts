/**
 * A sleep that something else can cut short: the runner idles between polls, and an append in
 * this process, `stop()` or a notification wakes it at once.
 */
export class WakeSignal {
  private wakeUp: (() => void) | undefined;
  private pending = false;

  /** Resolves after `ms`, or as soon as `wake()` is called (also if it was called before). */
  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.pending = true;
  }
}
