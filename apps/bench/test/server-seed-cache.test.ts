import { describe, expect, it } from 'vitest';
import { ServerSeedCache } from '../src/server-seed-cache.js';

describe('ServerSeedCache', () => {
  it('seeds each distinct plan once, hands every run its name, and drops all of them on clear', async () => {
    const built: string[] = [];
    const dropped: string[] = [];
    const cache = new ServerSeedCache(async (plan) => {
      const name = `seed${built.length + 1}`;
      built.push(`${name}:${plan.streamIds.join('+')}x${plan.eventsPerStream}`);
      return { name, drop: async () => void dropped.push(name) };
    });
    const w4 = { streamIds: ['w4'], eventsPerStream: 1_000 };
    const names = await Promise.all([cache.nameFor(w4), cache.nameFor({ ...w4 })]);
    expect(names).toEqual(['seed1', 'seed1']);
    expect(await cache.nameFor({ streamIds: ['a', 'b'], eventsPerStream: 5 })).toBe('seed2');
    expect(built).toEqual(['seed1:w4x1000', 'seed2:a+bx5']);
    await cache.clear();
    expect(dropped.sort()).toEqual(['seed1', 'seed2']);
    // After clear the next run seeds again.
    expect(await cache.nameFor(w4)).toBe('seed3');
  });

  it('does not keep a failed seeding: the next run tries again, and clear skips it', async () => {
    let attempts = 0;
    const cache = new ServerSeedCache(async () => {
      attempts++;
      if (attempts === 1) throw new Error('server went away');
      return { name: 'ok', drop: async () => {} };
    });
    const plan = { streamIds: ['s'], eventsPerStream: 1 };
    await expect(cache.nameFor(plan)).rejects.toThrow('server went away');
    await expect(cache.clear()).resolves.toBeUndefined();
    expect(await cache.nameFor(plan)).toBe('ok');
  });
});
