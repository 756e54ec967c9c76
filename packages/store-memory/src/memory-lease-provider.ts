import { assertName, HeldLease, type Lease, type LeaseProvider } from '@strata/core';

/** The leases of one process, shared by every `MemoryLeaseProvider` given the same table. */
export class MemoryLeaseTable {
  readonly holders = new Map<string, HeldLease>();
  readonly fences = new Map<string, bigint>();
}

/**
 * Leases inside one process, for tests and single-process apps. Providers sharing a
 * `MemoryLeaseTable` exclude each other; there is no other process to exclude. `close()` stands for
 * `simulateCrash()` stands for a holder's death: its leases are lost, and the next `acquire` may
 * take them at once.
 */
export class MemoryLeaseProvider implements LeaseProvider {
  readonly takeoverBoundMs = 0;
  private readonly own = new Set<HeldLease>();

  constructor(readonly table: MemoryLeaseTable = new MemoryLeaseTable()) {}

  async acquire(name: string): Promise<Lease | undefined> {
    assertName(name, 'name');
    const holder = this.table.holders.get(name);
    if (holder?.held) return undefined;
    const fence = (this.table.fences.get(name) ?? 0n) + 1n;
    this.table.fences.set(name, fence);
    const lease: HeldLease = new HeldLease(name, fence, async () => this.free(lease));
    this.table.holders.set(name, lease);
    this.own.add(lease);
    return lease;
  }

  async close(): Promise<void> {
    await Promise.all([...this.own].map((lease) => lease.release()));
  }

  /** Loses every lease this provider holds, as a killed process would, without releasing them. */
  simulateCrash(): void {
    for (const lease of [...this.own]) {
      lease.markLost(new Error('the holder crashed'));
      this.free(lease);
    }
  }

  private free(lease: HeldLease): void {
    this.own.delete(lease);
    if (this.table.holders.get(lease.name) === lease) this.table.holders.delete(lease.name);
  }
}
