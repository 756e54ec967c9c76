import { assertName, HeldLease, type Lease, type LeaseProvider } from '@strata/core';

/**
 * Looks the holder up, then (after a round trip, as a remote engine would take) records itself: two
 * acquirers that look at once both see the name free and both hold the lease.
 */
export class CheckThenTakeLeaseProvider implements LeaseProvider {
  readonly takeoverBoundMs = 0;

  constructor(private readonly table: { holders: Map<string, HeldLease>; fences: Map<string, bigint> }) {}

  async acquire(name: string): Promise<Lease | undefined> {
    assertName(name, 'name');
    const holder = this.table.holders.get(name);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (holder?.held) return undefined;
    const fence = (this.table.fences.get(name) ?? 0n) + 1n;
    this.table.fences.set(name, fence);
    const lease: HeldLease = new HeldLease(name, fence, async () => {
      if (this.table.holders.get(name) === lease) this.table.holders.delete(name);
    });
    this.table.holders.set(name, lease);
    return lease;
  }

  async close(): Promise<void> {}
}
