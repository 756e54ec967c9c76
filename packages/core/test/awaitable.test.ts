import { describe, expect, it } from 'vitest';
import { isPromiseLike, thenOrNow } from '../src/index.js';

describe('Awaitable helpers', () => {
  it('isPromiseLike tells a thenable from a plain value', () => {
    expect(isPromiseLike(Promise.resolve(1))).toBe(true);
    // Built with a computed key: what a foreign promise library could hand over.
    const thenKey = 'then';
    expect(isPromiseLike({ [thenKey]: () => {} })).toBe(true);
    for (const value of [undefined, null, 0, 'then', { [thenKey]: 1 }, () => {}]) {
      expect(isPromiseLike(value)).toBe(false);
    }
  });

  it('thenOrNow stays synchronous on plain values and awaits promises', async () => {
    const order: string[] = [];
    const now = thenOrNow(2, (value) => {
      order.push('sync');
      return value * 2;
    });
    expect(now).toBe(4);
    expect(order).toEqual(['sync']);
    const later = thenOrNow(Promise.resolve(3), (value) => value * 2);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(6);
    const failure = new Error('step failed');
    expect(() =>
      thenOrNow(1, () => {
        throw failure;
      }),
    ).toThrow(failure);
    await expect(thenOrNow(Promise.reject(failure), () => 1)).rejects.toBe(failure);
  });
});
