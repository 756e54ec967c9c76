import { describe, expect, it } from 'vitest';
import { assertKnownTargets, probeTargets, selectByKeys } from '../src/target-registry.js';
import { UsageError } from '../src/usage-error.js';

const items = [
  { name: 'sqlite-normal', family: 'sqlite' },
  { name: 'sqlite-full', family: 'sqlite' },
  { name: 'postgres', family: 'postgres' },
];
const keys = (item: { name: string; family: string }) => [item.name, item.family];

describe('selectByKeys', () => {
  it('selects by name or family, in registry order; everything when nothing is requested', () => {
    expect(selectByKeys(items, ['postgres', 'sqlite-full'], keys).map((i) => i.name)).toEqual([
      'sqlite-full',
      'postgres',
    ]);
    expect(selectByKeys(items, ['sqlite'], keys)).toHaveLength(2);
    expect(selectByKeys(items, [], keys)).toHaveLength(3);
    expect(selectByKeys(items, ['mysql'], keys)).toEqual([]);
  });
});

describe('assertKnownTargets', () => {
  it('accepts known names and refuses unknown ones with a UsageError listing the known', () => {
    expect(() => assertKnownTargets(['sqlite'], ['sqlite', 'postgres'])).not.toThrow();
    expect(() => assertKnownTargets(['oracle'], ['sqlite', 'postgres'])).toThrow(UsageError);
    expect(() => assertKnownTargets(['oracle'], ['sqlite', 'sqlite'])).toThrow(/known: sqlite\)/);
  });
});

describe('probeTargets', () => {
  it('keeps targets without a probe or whose probe passes, and says why the others cannot run', async () => {
    const { runnable, skipped } = await probeTargets([
      { name: 'memory' },
      { name: 'up', probe: async () => undefined },
      { name: 'down', probe: async () => 'server unreachable' },
    ]);
    expect(runnable.map((t) => t.name)).toEqual(['memory', 'up']);
    expect(skipped.map((s) => [s.target.name, s.reason])).toEqual([['down', 'server unreachable']]);
  });
});
