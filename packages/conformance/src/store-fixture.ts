import type { EventStore } from '@strata/core';
import { afterEach } from 'vitest';
import { ConflictCheckingStore } from './conflict-checking-store.js';
import type { EventStoreConformanceOptions } from './conformance-options.js';

/**
 * Hands each test its own stores and releases them after the test, whatever the outcome. Tests get
 * the adapter's stores wrapped in a `ConflictCheckingStore`; the options' functions get the
 * adapter's own.
 */
export interface StoreFixture {
  /** A new store from `options.create()`. */
  open(): Promise<EventStore>;
  /** A store the test made another way (e.g. `options.seedPosition`), disposed like the others. */
  adopt(store: Promise<EventStore>): Promise<EventStore>;
  /** A second instance over `store`'s storage; needs `options.createPeer`. */
  openPeer(store: EventStore): Promise<EventStore>;
  /** Closes `store` and remembers it, so the default dispose does not close it twice. */
  close(store: EventStore): Promise<void>;
  /** Starts an outage on `store`; the fixture ends it after the test if the test did not. */
  beginOutage(store: EventStore): Promise<void>;
  endOutage(store: EventStore): Promise<void>;
}

/** Call inside a `describe` block: it registers the `afterEach` that disposes the test's stores. */
export function useStoreFixture(options: EventStoreConformanceOptions): StoreFixture {
  let opened: EventStore[] = [];
  let inOutage: EventStore[] = [];
  const closed = new WeakSet<EventStore>();

  afterEach(async () => {
    const stores = opened.reverse();
    const outages = inOutage;
    opened = [];
    inOutage = [];
    // An outage left on by a failed test would make dispose fail and hide the real failure.
    for (const store of outages) await options.outage?.end(store);
    for (const store of stores) {
      if (options.dispose !== undefined) await options.dispose(store);
      else if (!closed.has(store)) await store.close();
    }
  });

  const adapterOf = (store: EventStore): EventStore =>
    store instanceof ConflictCheckingStore ? store.adapter : store;

  return {
    async open() {
      const store = await options.create();
      opened.push(store);
      return new ConflictCheckingStore(store);
    },
    async adopt(pending) {
      const store = await pending;
      opened.push(store);
      return store;
    },
    async openPeer(store) {
      if (options.createPeer === undefined)
        throw new Error('@strata/conformance: options.createPeer is required');
      const peer = await options.createPeer(adapterOf(store));
      opened.push(peer);
      return new ConflictCheckingStore(peer);
    },
    async close(store) {
      closed.add(adapterOf(store));
      await store.close();
    },
    async beginOutage(store) {
      if (options.outage === undefined) throw new Error('@strata/conformance: options.outage is required');
      inOutage.push(adapterOf(store));
      await options.outage.begin(adapterOf(store));
    },
    async endOutage(store) {
      if (options.outage === undefined) throw new Error('@strata/conformance: options.outage is required');
      const adapter = adapterOf(store);
      await options.outage.end(adapter);
      inOutage = inOutage.filter((s) => s !== adapter);
    },
  };
}
