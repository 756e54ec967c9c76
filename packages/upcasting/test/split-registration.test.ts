import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { defineUpcasters, type Upcaster, UpcasterChainError } from '../src/index.js';
import { splitChain } from './split-chain.js';

const pair = (...into: [string, number][]) => into.map(([type, version]) => ({ type, version }));

function splitOf(type: string, fromVersion: number, into: [string, number][]): Upcaster {
  return { type, fromVersion, into: pair(...into), split: (data) => into.map(() => data) };
}

function failure(current: Record<string, number>, upcasters: Upcaster[]): unknown {
  try {
    defineUpcasters(current, upcasters);
  } catch (error) {
    return error;
  }
  throw new Error('defineUpcasters accepted the chain');
}

describe('a split is checked with the chain when it is registered', () => {
  it('knows where each stored version goes and which stored names read as each current type', () => {
    expect(splitChain.splits).toBe(true);
    expect(splitChain.stepsFrom('order.placed', 1)?.map((s) => `${s.toType}@${s.toVersion}`)).toEqual([
      'order.placed@2',
    ]);
    expect(splitChain.splitAfter('order.placed', 1)?.into).toEqual(
      pair(['order.placed', 3], ['order.shipping-set', 1]),
    );
    expect(splitChain.splitAfter('order.cancelled', 1)).toBeUndefined();
    expect(splitChain.renamedTo('OrderWithNote')).toBe('order.placed');
    expect(splitChain.storedNamesOf('order.shipping-set')).toEqual([
      'order.shipping-set',
      'order.placed',
      'OrderWithNote',
    ]);
    expect(splitChain.storedNamesOf('order.note-added')).toEqual(['order.note-added', 'OrderWithNote']);
    expect(splitChain.storedNamesOf('order.placed')).toEqual(['order.placed', 'OrderWithNote']);
    expect(defineUpcasters({ a: 2 }, [{ type: 'a', fromVersion: 1 }]).splits).toBe(false);
  });

  it('refuses a part that names a type the chain cannot bring to a current version', () => {
    const error = failure({ a: 1 }, [
      splitOf('ab', 1, [
        ['a', 1],
        ['misspelt', 1],
      ]),
    ]);
    expect(UpcasterChainError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ eventType: 'ab', schemaVersion: 1 });
    expect((error as Error).message).toMatch(/breaks off at "misspelt" at version 1/);
  });

  it('refuses a part past its type’s current version, and a part whose own chain has a gap', () => {
    expect(
      (
        failure({ a: 1, b: 1 }, [
          splitOf('ab', 1, [
            ['a', 1],
            ['b', 2],
          ]),
        ]) as Error
      ).message,
    ).toMatch(/past its current version 1/);
    const gap = failure({ a: 1, b: 3 }, [
      splitOf('ab', 1, [
        ['a', 1],
        ['b', 1],
      ]),
      { type: 'b', fromVersion: 2 },
    ]);
    expect(UpcasterChainError.isInstance(gap)).toBe(true);
    expect(gap).toMatchObject({ eventType: 'ab', schemaVersion: 1 });
  });

  it('refuses a cycle through a split part, and two upcasters at one version', () => {
    const cycle = failure({ a: 1 }, [
      splitOf('old', 1, [
        ['a', 1],
        ['older', 1],
      ]),
      { type: 'older', fromVersion: 1, toType: 'old', toVersion: 1 },
    ]);
    expect(UpcasterChainError.isInstance(cycle)).toBe(true);
    expect((cycle as Error).message).toMatch(/comes back to "old" at version 1/);
    const duplicate = failure({ a: 2, b: 1 }, [
      { type: 'a', fromVersion: 1 },
      splitOf('a', 1, [
        ['a', 2],
        ['b', 1],
      ]),
    ]);
    expect((duplicate as Error).message).toMatch(/two upcasters start here/);
  });

  it('refuses a split of a current version, and one old name that ends as two current types', () => {
    expect(
      (
        failure({ a: 1, b: 1 }, [
          splitOf('a', 1, [
            ['a', 1],
            ['b', 1],
          ]),
        ]) as Error
      ).message,
    ).toMatch(/nothing upcasts from it/);
    const twoTypes = failure({ a: 1, b: 1 }, [
      splitOf('old', 1, [
        ['a', 1],
        ['b', 1],
      ]),
      { type: 'old', fromVersion: 2, toType: 'b', toVersion: 1 },
    ]);
    expect((twoTypes as Error).message).toMatch(/upcasts to "b", other versions to "a"/);
  });

  it('refuses a malformed split with a ValidationError naming its path', () => {
    const cases: [Upcaster, string][] = [
      [{ type: 'ab', fromVersion: 1, into: [], split: () => [] }, 'upcasters[0].into'],
      [{ type: 'ab', fromVersion: 1, split: () => [] }, 'upcasters[0].into'],
      [{ type: 'ab', fromVersion: 1, into: pair(['a', 1]) }, 'upcasters[0].split'],
      [{ type: 'ab', fromVersion: 1, into: pair(['a', 0]), split: () => [] }, 'upcasters[0].into[0].version'],
      [{ type: 'ab', fromVersion: 1, into: pair(['', 1]), split: () => [] }, 'upcasters[0].into[0].type'],
      [{ ...splitOf('ab', 1, [['a', 1]]), upcast: (d) => d }, 'upcasters[0].upcast'],
      [{ ...splitOf('ab', 1, [['a', 1]]), toType: 'a', toVersion: 1 }, 'upcasters[0].toType'],
    ];
    for (const [upcaster, path] of cases) {
      const error = failure({ a: 1 }, [upcaster]);
      expect(ValidationError.isInstance(error), path).toBe(true);
      expect((error as ValidationError).message).toContain(path);
    }
  });

  it('accepts a split into one part (a rename with a payload of its own)', () => {
    const chain = defineUpcasters({ a: 1 }, [splitOf('old', 1, [['a', 1]])]);
    expect(chain.renamedTo('old')).toBe('a');
  });
});
