import type { EventRegistry } from '@strata/core';
import { assertNoGaps, walk } from './chain-walk.js';
import type { SplitPart, Upcaster } from './upcaster.js';
import { UpcasterChainError } from './upcaster-chain-error.js';
import { checkedSteps, currentVersions } from './upcaster-input.js';

/** A checked step: where it leads and what it does to the payload. */
export interface UpcastStep {
  readonly toType: string;
  readonly toVersion: number;
  readonly upcast: Upcaster['upcast'];
}

/** A checked split: the parts an event becomes, and what gives their payloads. */
export interface SplitStep {
  readonly into: readonly SplitPart[];
  readonly split: NonNullable<Upcaster['split']>;
}

/**
 * The upcasters of a program, checked as a whole: every stored version of every type they name
 * reaches exactly one current type at its current version. `withUpcasting` reads events through it.
 */
export interface UpcasterChain {
  /** Each current type's schema version (the registry's, at the time of `defineUpcasters`). */
  readonly current: ReadonlyMap<string, number>;
  /**
   * The steps that take `type` at `version` to its current version, or to the split that ends its
   * way (`splitAfter`); `undefined` for none.
   */
  stepsFrom(type: string, version: number): readonly UpcastStep[] | undefined;
  /** The split that follows `stepsFrom(type, version)`; `undefined` when that way ends at a current version. */
  splitAfter(type: string, version: number): SplitStep | undefined;
  /**
   * The current type an old type name upcasts to (for a split, the current type of its first
   * part); `undefined` for current and unknown types.
   */
  renamedTo(type: string): string | undefined;
  /** Every stored name whose events upcast to the current `type` (or split into one), itself first. */
  storedNamesOf(type: string): readonly string[];
  /** True for a type the chain knows: current, or an old name of one. */
  manages(type: string): boolean;
  /** True when some stored version splits into several events. */
  readonly splits: boolean;
}

/**
 * Checks `upcasters` against the current schema versions (an `EventRegistry`'s, or a record of
 * type to version) and returns the chain `withUpcasting` needs. Throws `UpcasterChainError` for a
 * missing step, a duplicate, a cycle, or a chain that does not end at a current version, and
 * `ValidationError` for an upcaster that is malformed. Register every event type before calling it:
 * later registrations are not seen.
 */
export function defineUpcasters(
  current: EventRegistry | Readonly<Record<string, number>>,
  upcasters: readonly Upcaster[],
): UpcasterChain {
  const versions = currentVersions(current);
  const steps = checkedSteps(upcasters, versions);
  const plans = new Map<string, Map<number, { path: UpcastStep[]; split: SplitStep | undefined }>>();
  const renamedTo = new Map<string, string>();
  const reaches = new Map<string, Set<string>>();
  for (const [type, byVersion] of steps) {
    const plan = new Map<number, { path: UpcastStep[]; split: SplitStep | undefined }>();
    const targets = new Set<string>();
    reaches.set(type, targets);
    for (const version of byVersion.keys()) {
      const { path, split, targets: reached } = walk(type, version, steps, versions);
      plan.set(version, { path, split });
      for (const reachedType of reached) targets.add(reachedType);
      const target = reached[0]!;
      if (!versions.has(type)) {
        const earlier = renamedTo.get(type);
        if (earlier !== undefined && earlier !== target) {
          throw new UpcasterChainError(
            type,
            version,
            `upcasts to "${target}", other versions to "${earlier}"`,
          );
        }
        renamedTo.set(type, target);
      }
    }
    plans.set(type, plan);
  }
  assertNoGaps(steps, versions);
  const storedNames = new Map<string, string[]>();
  for (const [stored, targets] of reaches) {
    for (const target of targets) {
      if (stored === target) continue;
      const names = storedNames.get(target) ?? [target];
      names.push(stored);
      storedNames.set(target, names);
    }
  }
  const splits = [...plans.values()].some((plan) => [...plan.values()].some((p) => p.split !== undefined));
  return {
    current: versions,
    stepsFrom: (type, version) => plans.get(type)?.get(version)?.path,
    splitAfter: (type, version) => plans.get(type)?.get(version)?.split,
    renamedTo: (type) => renamedTo.get(type),
    storedNamesOf: (type) => storedNames.get(type) ?? [type],
    manages: (type) => versions.has(type) || renamedTo.has(type),
    splits,
  };
}
