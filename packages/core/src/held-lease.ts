import type { Lease, LeaseEnd } from './lease-provider.js';

/**
 * The bookkeeping every provider's lease shares: `held` turns false once, `ended` resolves once,
 * and `release()` runs the provider's give-up step at most once. Adapter authors: build leases on it.
 */
export class HeldLease implements Lease {
  readonly ended: Promise<LeaseEnd>;
  private isHeld = true;
  private resolveEnded!: (end: LeaseEnd) => void;
  private releasing: Promise<void> | undefined;

  /** `giveUp` frees the lease in the engine; its failure is swallowed, as the lease ends anyway. */
  constructor(
    readonly name: string,
    readonly fence: bigint,
    private readonly giveUp: () => Promise<void>,
  ) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get held(): boolean {
    return this.isHeld;
  }

  /** Called by the provider when it learns the lease is gone (connection lost, renewal failed). */
  markLost(cause?: unknown): void {
    if (!this.isHeld) return;
    this.isHeld = false;
    this.resolveEnded({ released: false, ...(cause === undefined ? {} : { cause }) });
  }

  release(): Promise<void> {
    if (this.releasing !== undefined) return this.releasing;
    const wasHeld = this.isHeld;
    this.isHeld = false;
    if (wasHeld) this.resolveEnded({ released: true });
    // A lost lease still gives its engine resources back (a held connection, say).
    this.releasing = this.giveUp().catch(() => undefined);
    return this.releasing;
  }
}
