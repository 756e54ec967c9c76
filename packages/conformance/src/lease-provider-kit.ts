import type { Lease, LeaseProvider } from '@strata/core';
import { afterEach, describe, expect } from 'vitest';
import { kitTest } from './kit-test.js';
import { uniqueStreamId } from './unique-names.js';

/** What the lease topic needs from an adapter. */
export interface LeaseProviderKitOptions {
  /**
   * A new provider with its own connections, over the same engine (and tables or key prefix) as
   * every other one this returns: two of them stand for two processes.
   */
  create: () => Promise<LeaseProvider>;
  /**
   * Cuts a holder off the way a dying process is: its connection killed or closed, its heartbeat
   * stopped, nothing released.
   */
  cut: (provider: LeaseProvider, lease: Lease) => Promise<void>;
}

/** Slack on top of a provider's stated bound, for a loaded machine; a liveness bound, not a speed test. */
const TAKEOVER_SLACK_MS = 15_000;
const RACE_ROUNDS = 10;
const RACERS_PER_PROVIDER = 3;

/**
 * The `LeaseProvider` contract: one holder per name across providers, fences that grow with every
 * acquisition, release that frees the name (idempotently), and a cut-off holder replaced within the
 * provider's `takeoverBoundMs`.
 */
export function describeLeaseProvider(name: string, options: LeaseProviderKitOptions): void {
  describe(name, () => {
    const opened: LeaseProvider[] = [];
    afterEach(async () => {
      for (const provider of opened.splice(0)) await provider.close().catch(() => undefined);
    });
    async function open(): Promise<LeaseProvider> {
      const provider = await options.create();
      opened.push(provider);
      return provider;
    }

    kitTest('acquirers racing on several providers: exactly one holds the lease, every round', async () => {
      const providers = [await open(), await open(), await open()];
      const leaseName = uniqueStreamId('lease');
      let lastFence = -1n;
      for (let round = 0; round < RACE_ROUNDS; round++) {
        const attempts = providers.flatMap((provider) =>
          Array.from({ length: RACERS_PER_PROVIDER }, () => provider.acquire(leaseName)),
        );
        const winners = (await Promise.all(attempts)).filter((lease) => lease !== undefined);
        expect(winners, `round ${round}: holders at once`).toHaveLength(1);
        const [winner] = winners as [Lease];
        expect(winner.held).toBe(true);
        expect(winner.fence).toBeGreaterThan(lastFence);
        lastFence = winner.fence;
        await winner.release();
      }
    });

    kitTest(
      'a second provider cannot take a held lease; after release it can, with a higher fence',
      async () => {
        const first = await open();
        const second = await open();
        const leaseName = uniqueStreamId('lease');
        const held = await first.acquire(leaseName);
        expect(held?.fence).toBeTypeOf('bigint');
        expect(await second.acquire(leaseName)).toBeUndefined();
        expect(await first.acquire(leaseName)).toBeUndefined();
        // Other names are not held by it.
        const other = await second.acquire(uniqueStreamId('lease'));
        expect(other?.held).toBe(true);
        await held!.release();
        const next = await second.acquire(leaseName);
        expect(next?.held).toBe(true);
        expect(next!.fence).toBeGreaterThan(held!.fence);
        expect(await first.acquire(leaseName)).toBeUndefined();
      },
    );

    kitTest('fences grow with every acquisition, whichever provider makes it', async () => {
      const providers = [await open(), await open()];
      const leaseName = uniqueStreamId('lease');
      const fences: bigint[] = [];
      for (let i = 0; i < 6; i++) {
        const lease = await providers[i % 2]!.acquire(leaseName);
        if (lease === undefined) throw new Error(`acquisition ${i} found the lease held after its release`);
        fences.push(lease.fence);
        await lease.release();
      }
      for (let i = 1; i < fences.length; i++) expect(fences[i]!).toBeGreaterThan(fences[i - 1]!);
    });

    kitTest('release ends the lease once and is idempotent', async () => {
      const provider = await open();
      const leaseName = uniqueStreamId('lease');
      const lease = await provider.acquire(leaseName);
      if (lease === undefined) throw new Error('a fresh lease name was held');
      await lease.release();
      await lease.release();
      expect(lease.held).toBe(false);
      expect(await lease.ended).toMatchObject({ released: true });
      const again = await provider.acquire(leaseName);
      expect(again?.held).toBe(true);
      await again!.release();
    });

    kitTest('a holder cut off like a killed process is replaced within takeoverBoundMs', async () => {
      const holder = await open();
      const standby = await open();
      const leaseName = uniqueStreamId('lease');
      const lease = await holder.acquire(leaseName);
      if (lease === undefined) throw new Error('a fresh lease name was held');
      expect(await standby.acquire(leaseName)).toBeUndefined();
      await options.cut(holder, lease);
      const deadline = Date.now() + standby.takeoverBoundMs + TAKEOVER_SLACK_MS;
      let taken: Lease | undefined;
      while (taken === undefined && Date.now() < deadline) {
        taken = await standby.acquire(leaseName);
        if (taken === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(taken, `no takeover within ${standby.takeoverBoundMs} ms (+ slack)`).toBeDefined();
      expect(taken!.fence).toBeGreaterThan(lease.fence);
      // The cut holder learns it lost the lease, rather than go on believing it holds it.
      const end = await Promise.race([
        lease.ended,
        new Promise((resolve) => setTimeout(() => resolve('still held'), TAKEOVER_SLACK_MS)),
      ]);
      expect(end).toMatchObject({ released: false });
      expect(lease.held).toBe(false);
    });
  });
}
