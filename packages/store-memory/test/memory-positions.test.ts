import { MAX_POSITION, PositionsExhaustedError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore, MemoryStorage } from '../src/index.js';

describe('a storage whose log starts after a given position', () => {
  it('continues right after it, and readAll counts from there', async () => {
    const store = new MemoryEventStore({ storage: new MemoryStorage({ lastPosition: 2n ** 53n - 1n }) });
    const result = await store.append('s', [
      { type: 't', data: 1 },
      { type: 't', data: 2 },
    ]);
    expect(result.events?.map((e) => e.position)).toEqual([2n ** 53n, 2n ** 53n + 1n]);
    expect((await store.readAll({ after: 2n ** 53n })).map((e) => e.data)).toEqual([2]);
    expect((await store.readAll({ after: 5n })).map((e) => e.data)).toEqual([1, 2]);
  });

  it('reports the start as its lastPosition() until the first append, then the last event', async () => {
    const store = new MemoryEventStore({ storage: new MemoryStorage({ lastPosition: 2n ** 53n - 1n }) });
    expect(await store.lastPosition()).toBe(2n ** 53n - 1n);
    await store.append('s', [
      { type: 't', data: 1 },
      { type: 't', data: 2 },
    ]);
    expect(await store.lastPosition()).toBe(2n ** 53n + 1n);
    expect(await new MemoryEventStore().lastPosition()).toBe(0n);
  });

  it('refuses an append past 2^63 - 1 and writes nothing of it', async () => {
    const store = new MemoryEventStore({ storage: new MemoryStorage({ lastPosition: MAX_POSITION - 1n }) });
    await expect(
      store.append('s', [
        { type: 't', data: 1 },
        { type: 't', data: 2 },
      ]),
    ).rejects.toThrow(PositionsExhaustedError);
    expect(await store.streamVersion('s')).toBe(0);
    expect((await store.append('s', [{ type: 't', data: 1 }])).lastPosition).toBe(MAX_POSITION);
  });

  it('rejects a start that is not a position', () => {
    for (const lastPosition of [-1n, MAX_POSITION + 1n, 3]) {
      expect(() => new MemoryStorage({ lastPosition: lastPosition as bigint })).toThrow(ValidationError);
    }
  });
});
