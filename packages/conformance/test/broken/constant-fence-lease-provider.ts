import type { Lease, LeaseProvider } from '@strata/core';
import { MemoryLeaseProvider, type MemoryLeaseTable } from '@strata/store-memory';

/** Excludes correctly but gives every acquisition fence 1: a stale holder's saves are never refused. */
export class ConstantFenceLeaseProvider implements LeaseProvider {
  readonly takeoverBoundMs = 0;
  private readonly inner: MemoryLeaseProvider;

  constructor(table: MemoryLeaseTable) {
    this.inner = new MemoryLeaseProvider(table);
  }

  async acquire(name: string): Promise<Lease | undefined> {
    const lease = await this.inner.acquire(name);
    if (lease === undefined) return undefined;
    return {
      name,
      fence: 1n,
      get held() {
        return lease.held;
      },
      ended: lease.ended,
      release: () => lease.release(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  simulateCrash(): void {
    this.inner.simulateCrash();
  }
}
