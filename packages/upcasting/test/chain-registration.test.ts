import { EventRegistry, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { defineUpcasters, type Upcaster, UpcasterChainError } from '../src/index.js';

const bump = (type: string, fromVersion: number): Upcaster => ({ type, fromVersion, upcast: (data) => data });

function chainError(current: Record<string, number>, upcasters: Upcaster[]): UpcasterChainError {
  try {
    defineUpcasters(current, upcasters);
  } catch (error) {
    if (UpcasterChainError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('defineUpcasters accepted the chain');
}

describe('a chain is checked when it is registered', () => {
  it('accepts a full chain, a rename into a current type, and types with no history', () => {
    const chain = defineUpcasters({ 'user.registered': 3, 'order.placed': 1 }, [
      bump('user.registered', 1),
      bump('user.registered', 2),
      { type: 'UserCreated', fromVersion: 1, toType: 'UserSignedUp', toVersion: 1 },
      { type: 'UserSignedUp', fromVersion: 1, toType: 'user.registered', toVersion: 2 },
    ]);
    expect(chain.stepsFrom('UserCreated', 1)?.map((s) => `${s.toType}@${s.toVersion}`)).toEqual([
      'UserSignedUp@1',
      'user.registered@2',
      'user.registered@3',
    ]);
    expect(chain.stepsFrom('user.registered', 3)).toBeUndefined();
    expect(chain.renamedTo('UserCreated')).toBe('user.registered');
    expect(chain.storedNamesOf('user.registered')).toEqual([
      'user.registered',
      'UserCreated',
      'UserSignedUp',
    ]);
    expect(chain.storedNamesOf('order.placed')).toEqual(['order.placed']);
  });

  it('takes the current versions from an EventRegistry', () => {
    const registry = new EventRegistry().register('user.registered', { schemaVersion: 2 });
    const chain = defineUpcasters(registry, [bump('user.registered', 1)]);
    expect(chain.current.get('user.registered')).toBe(2);
    expect(() => defineUpcasters(registry, [])).toThrow(UpcasterChainError);
    // A record is told from a registry by shape, so event types named like its members are fine.
    expect(defineUpcasters({ types: 1, isRegistered: 1 }, []).current.get('types')).toBe(1);
  });

  it('refuses a missing step in the middle of a chain, naming the type and version', () => {
    const error = chainError({ 'user.registered': 4 }, [
      bump('user.registered', 1),
      bump('user.registered', 3),
    ]);
    expect(error.eventType).toBe('user.registered');
    expect(error.schemaVersion).toBe(1);
    expect(error.message).toMatch(/"user\.registered" at version 2/);
  });

  it('refuses a chain that never starts: a current version above 1 with no step from version 1', () => {
    const error = chainError({ 'user.registered': 3 }, [bump('user.registered', 2)]);
    expect([error.eventType, error.schemaVersion]).toEqual(['user.registered', 1]);
  });

  it('refuses a current version above 1 with no upcaster at all', () => {
    const error = chainError({ 'user.registered': 2 }, []);
    expect([error.eventType, error.schemaVersion]).toEqual(['user.registered', 1]);
  });

  it('refuses a gap below a rename out of an old type', () => {
    const error = chainError({ 'user.registered': 1 }, [
      { type: 'UserCreated', fromVersion: 2, toType: 'user.registered', toVersion: 1 },
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['UserCreated', 1]);
  });

  it('refuses two upcasters from one version', () => {
    const error = chainError({ 'user.registered': 2 }, [
      bump('user.registered', 1),
      bump('user.registered', 1),
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['user.registered', 1]);
    expect(error.message).toMatch(/two upcasters/);
  });

  it('refuses two renames out of one old version', () => {
    const error = chainError({ a: 1, b: 1 }, [
      { type: 'old', fromVersion: 1, toType: 'a', toVersion: 1 },
      { type: 'old', fromVersion: 1, toType: 'b', toVersion: 1 },
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['old', 1]);
  });

  it('refuses a cycle through renames', () => {
    const error = chainError({ current: 1 }, [
      { type: 'A', fromVersion: 1, toType: 'B', toVersion: 1 },
      { type: 'B', fromVersion: 1, toType: 'A', toVersion: 1 },
    ]);
    expect(error.message).toMatch(/comes back to "A" at version 1/);
  });

  it('refuses a cycle through renames and version steps', () => {
    const error = chainError({ current: 1 }, [
      bump('A', 1),
      { type: 'A', fromVersion: 2, toType: 'B', toVersion: 1 },
      { type: 'B', fromVersion: 1, toType: 'A', toVersion: 1 },
    ]);
    expect(error.message).toMatch(/comes back/);
  });

  it('refuses a chain that runs past the current version', () => {
    const error = chainError({ 'user.registered': 2 }, [
      bump('user.registered', 1),
      bump('user.registered', 2),
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['user.registered', 2]);
    expect(error.message).toMatch(/current version is 2/);
  });

  it('refuses a rename that lands past the current version of its target', () => {
    const error = chainError({ 'user.registered': 2 }, [
      bump('user.registered', 1),
      { type: 'UserCreated', fromVersion: 1, toType: 'user.registered', toVersion: 3 },
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['UserCreated', 1]);
    expect(error.message).toMatch(/past its current version 2/);
  });

  it('refuses a chain that ends at a type that is not current', () => {
    const error = chainError({ 'user.registered': 1 }, [
      { type: 'UserCreated', fromVersion: 1, toType: 'user.registred', toVersion: 1 },
    ]);
    expect([error.eventType, error.schemaVersion]).toEqual(['UserCreated', 1]);
    expect(error.message).toMatch(/"user\.registred" at version 1/);
  });

  it('refuses versions of one old name that end as different current types', () => {
    const error = chainError({ a: 1, b: 1 }, [
      { type: 'old', fromVersion: 1, toType: 'a', toVersion: 1 },
      { type: 'old', fromVersion: 2, toType: 'b', toVersion: 1 },
    ]);
    expect(error.eventType).toBe('old');
    expect(error.message).toMatch(/"b", other versions to "a"|"a", other versions to "b"/);
  });

  it('refuses renaming a type that is still current', () => {
    const error = chainError({ a: 2, b: 1 }, [
      bump('a', 1),
      { type: 'a', fromVersion: 1, toType: 'b', toVersion: 1 },
    ]);
    expect(error.eventType).toBe('a');
  });

  it('refuses a same-type step that skips a version', () => {
    const error = chainError({ a: 3 }, [{ type: 'a', fromVersion: 1, toVersion: 3 }]);
    expect([error.eventType, error.schemaVersion]).toEqual(['a', 1]);
    expect(error.message).toMatch(/one version/);
  });

  it('refuses malformed upcasters with ValidationError naming the path', () => {
    const cases: [unknown, RegExp][] = [
      [[{ type: '', fromVersion: 1 }], /upcasters\[0\]\.type/],
      [[{ type: 'a', fromVersion: 0 }], /upcasters\[0\]\.fromVersion/],
      [[{ type: 'a', fromVersion: 1.5 }], /upcasters\[0\]\.fromVersion/],
      [[{ type: 'a', fromVersion: 1, upcast: 'x' }], /upcasters\[0\]\.upcast/],
      [[{ type: 'old', fromVersion: 1, toType: 'a' }], /upcasters\[0\]\.toVersion/],
      [[null], /upcasters\[0\]/],
      ['nope', /upcasters/],
    ];
    for (const [upcasters, path] of cases) {
      let caught: unknown;
      try {
        defineUpcasters({ a: 2 }, upcasters as Upcaster[]);
      } catch (error) {
        caught = error;
      }
      expect(ValidationError.isInstance(caught), String(path)).toBe(true);
      expect((caught as Error).message).toMatch(path);
    }
    expect(() => defineUpcasters({ a: 0 }, [])).toThrow(/current\["a"\]/);
  });

  it('is a StrataError with a stable code', () => {
    const error = chainError({ a: 2 }, []);
    expect(error.code).toBe('STRATA_UPCASTER_CHAIN');
    expect(error.name).toBe('UpcasterChainError');
  });
});
