import type { EventStore } from '@strata/core';
import { describe, expect, type TestContext } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { skipWithoutOption } from '../skip-without-option.js';
import { useStoreFixture } from '../store-fixture.js';

/** Why a test of `storageId()` did not run, shown as its skip note. */
export const NO_STORAGE_ID = 'the adapter has no storageId() (an optional method): this test did not run';

/**
 * The optional `storageId()`: one id per storage, whichever instance asks and whenever. Caches tie
 * what they keep to it, so an id that differs between instances over one storage, or changes on
 * reopen, makes them throw away good copies, and one shared by two storages makes them serve one
 * storage's events for the other's. Without the method these tests end as skipped, with a note.
 */
export function describeStorageId(options: EventStoreConformanceOptions): void {
  describe('storage id (storageId(), optional)', () => {
    const fixture = useStoreFixture(options);

    kitTest('storageId() is a non-empty string, the same on every call', async (context) => {
      const store = await fixture.open();
      const id = await storageIdOrSkip(store, context);
      expect(typeof id).toBe('string');
      expect(id.length).toBeGreaterThan(0);
      expect(await storageIdOrSkip(store, context)).toBe(id);
    });

    if (options.createPeer === undefined) {
      skipWithoutOption('createPeer', 'storage id across instances');
      return;
    }

    kitTest('two instances over one storage report the same storageId()', async (context) => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const [own, peers] = await Promise.all([
        storageIdOrSkip(store, context),
        storageIdOrSkip(peer, context),
      ]);
      expect(peers, 'storageId() of the peer').toBe(own);
    });

    kitTest('an instance opened after the first was closed reports the same storageId()', async (context) => {
      const store = await fixture.open();
      const id = await storageIdOrSkip(store, context);
      await fixture.close(store);
      const reopened = await fixture.openPeer(store);
      expect(await storageIdOrSkip(reopened, context), 'storageId() after a reopen').toBe(id);
    });
  });
}

async function storageIdOrSkip(store: EventStore, context: TestContext): Promise<string> {
  if (typeof store.storageId !== 'function') context.skip(NO_STORAGE_ID);
  return store.storageId();
}
