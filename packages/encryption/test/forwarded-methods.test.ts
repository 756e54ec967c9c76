import { type EventStore, StoreClosedError } from '@strata/core';
import { bareEventStore } from '@strata/vitest-preset/bare-event-store';
import { describe, expect, it } from 'vitest';
import { withEncryption } from '../src/index.js';
import { setup, userCreated } from './fixtures.js';

describe("the wrapped store's optional methods", () => {
  it('passes lastPosition through when the wrapped store has it, and only then', async () => {
    const { inner, encryption } = setup();
    const store = withEncryption(inner, encryption);
    const { lastPosition } = await store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    expect(await store.lastPosition!()).toBe(lastPosition);
    expect(await store.lastPosition!()).toBe(await inner.lastPosition());
    const without: EventStore = bareEventStore(inner);
    expect(withEncryption(without, encryption).lastPosition).toBeUndefined();
    await store.close();
    await expect(store.lastPosition!()).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
