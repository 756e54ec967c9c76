import { describe, expect, it } from 'vitest';
import { HeldLease } from '../src/index.js';

describe('HeldLease', () => {
  it('release gives the lease up once, however often it is called, and ends it as released', async () => {
    let givenUp = 0;
    const lease = new HeldLease('order-list', 3n, async () => {
      givenUp++;
    });
    expect(lease.held).toBe(true);
    await Promise.all([lease.release(), lease.release()]);
    await lease.release();
    expect(givenUp).toBe(1);
    expect(lease.held).toBe(false);
    expect(await lease.ended).toEqual({ released: true });
  });

  it('a lost lease ends with its cause; a later release still frees the engine side and never throws', async () => {
    let givenUp = 0;
    const lease = new HeldLease('order-list', 4n, async () => {
      givenUp++;
      throw new Error('connection already gone');
    });
    const cause = new Error('connection lost');
    lease.markLost(cause);
    lease.markLost(new Error('a second report'));
    expect(lease.held).toBe(false);
    expect(await lease.ended).toEqual({ released: false, cause });
    await expect(lease.release()).resolves.toBeUndefined();
    expect(givenUp).toBe(1);
  });
});
