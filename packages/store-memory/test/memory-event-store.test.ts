import { ConcurrencyError, StoreClosedError, StoreUnavailableError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, MemoryStorage } from '../src/index.js';

describe('MemoryEventStore', () => {
  it('never hands out its own objects: mutating a read event changes nothing stored', async () => {
    const store = createMemoryEventStore();
    const data = { items: [1, 2] };
    await store.append('s', [{ type: 't', data }]);
    data.items.push(3);
    const [first] = await store.readStream('s');
    (first!.data as { items: number[] }).items.push(4);
    expect((await store.readStream('s'))[0]?.data).toEqual({ items: [1, 2] });
  });

  it('an append returns the events it wrote; a retry, which wrote nothing, returns none', async () => {
    const store = createMemoryEventStore();
    const batch = [
      { id: 'e-1', type: 't', data: { n: 1 } },
      { id: 'e-2', type: 't', data: { n: 2 } },
    ];
    const written = await store.append('s', batch, { streamType: 'order' });
    expect(written.events).toEqual(await store.readStream('s'));
    const retried = await store.append('s', batch);
    expect(retried).toEqual(written);
    expect(retried.events).toBeUndefined();
  });

  it('shares state between stores over one storage', async () => {
    const storage = new MemoryStorage();
    const a = createMemoryEventStore({ storage });
    const b = createMemoryEventStore({ storage });
    await a.append('s', [{ type: 't', data: 1 }]);
    await expect(b.append('s', [{ type: 't', data: 2 }], { expectedVersion: 0 })).rejects.toThrow(
      ConcurrencyError,
    );
    expect(await b.streamVersion('s')).toBe(1);
  });

  it('simulates an outage and recovers', async () => {
    const store = createMemoryEventStore();
    store.storage.simulateOutage();
    await expect(store.append('s', [{ type: 't', data: 1 }])).rejects.toSatisfy(
      StoreUnavailableError.isInstance,
    );
    store.storage.restore();
    await store.append('s', [{ type: 't', data: 1 }]);
    expect(await store.streamVersion('s')).toBe(1);
  });

  it('refuses calls after close', async () => {
    const store = createMemoryEventStore();
    await store.close();
    await expect(store.readAll()).rejects.toSatisfy(StoreClosedError.isInstance);
    await expect(store.lastPosition()).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
