import type { Lease, LeaseProvider } from '@strata/core';
import { MemoryLeaseProvider, type MemoryLeaseTable } from '@strata/store-memory';

/**
 * Keeps a lease for a holder that died (no connection tied to it, no expiry): nobody can take it
 * over until someone releases it, which a killed process never does.
 */
export class NeverFreesDeadLeaseProvider implements LeaseProvider {
  readonly takeoverBoundMs = 1_000;
  private readonly inner: MemoryLeaseProvider;

  constructor(table: MemoryLeaseTable) {
    this.inner = new MemoryLeaseProvider(table);
  }

  acquire(name: string): Promise<Lease | undefined> {
    return this.inner.acquire(name);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The holder dies: nothing happens to its lease. */
  simulateCrash(): void {}
}
