import type { SplitStep, UpcastStep } from './upcaster-chain.js';
import { UpcasterChainError } from './upcaster-chain-error.js';

/** A checked upcaster as the chain keeps it: a step to one event, or a split into several. */
export type ChainStep = UpcastStep | SplitStep;

export function isSplit(step: ChainStep): step is SplitStep {
  return 'into' in step;
}

/** Where one stored version goes: its steps, the split that ends them if any, and the current types it reaches. */
export interface ChainWalk {
  path: UpcastStep[];
  split: SplitStep | undefined;
  /** The current types it ends as, in the order of its parts, each once; the first is its main one. */
  targets: string[];
}

/**
 * Follows the steps from one stored version to the current version of the type it ends as, and
 * through a split, each part to its own. `seen` holds the versions already on this way, so a
 * part that comes back to one of them is a cycle; errors name the stored version walked from.
 */
export function walk(
  type: string,
  version: number,
  steps: ReadonlyMap<string, ReadonlyMap<number, ChainStep>>,
  versions: ReadonlyMap<string, number>,
  seen: ReadonlySet<string> = new Set(),
  origin: { type: string; version: number } = { type, version },
): ChainWalk {
  const path: UpcastStep[] = [];
  const onThisWay = new Set(seen);
  let at = { type, version };
  for (;;) {
    const currentVersion = versions.get(at.type);
    if (currentVersion === at.version) return { path, split: undefined, targets: [at.type] };
    const key = `${at.type}\u0000${at.version}`;
    if (onThisWay.has(key)) {
      throw new UpcasterChainError(
        origin.type,
        origin.version,
        `the chain comes back to "${at.type}" at version ${at.version}`,
      );
    }
    onThisWay.add(key);
    const step = steps.get(at.type)?.get(at.version);
    if (step === undefined) {
      const where = `"${at.type}" at version ${at.version}`;
      throw new UpcasterChainError(
        origin.type,
        origin.version,
        currentVersion !== undefined && at.version > currentVersion
          ? `the chain ends at ${where}, past its current version ${currentVersion}`
          : `the chain breaks off at ${where}: no upcaster starts there and it is not a current version`,
      );
    }
    if (isSplit(step)) {
      const targets = new Set<string>();
      for (const part of step.into) {
        const partWalk = walk(part.type, part.version, steps, versions, onThisWay, origin);
        for (const target of partWalk.targets) targets.add(target);
      }
      return { path, split: step, targets: [...targets] };
    }
    path.push(step);
    at = { type: step.toType, version: step.toVersion };
  }
}

/** The versions each step, or split part, leads to. */
function destinations(step: ChainStep): { type: string; version: number }[] {
  return isSplit(step) ? [...step.into] : [{ type: step.toType, version: step.toVersion }];
}

/**
 * Every version of a type's history, from its first to its current (or last renamed) one, has a
 * step. A type's history starts at version 1, unless it was born of a rename or a split, at the
 * version that names (or a lower version it has a step from).
 */
export function assertNoGaps(
  steps: ReadonlyMap<string, ReadonlyMap<number, ChainStep>>,
  versions: ReadonlyMap<string, number>,
): void {
  const firstVersion = new Map<string, number>();
  for (const byVersion of steps.values()) {
    for (const step of byVersion.values()) {
      for (const { type: toType, version: toVersion } of destinations(step)) {
        if (byVersion === steps.get(toType)) continue;
        firstVersion.set(toType, Math.min(firstVersion.get(toType) ?? toVersion, toVersion));
      }
    }
  }
  const types = new Set([...versions.keys(), ...steps.keys()]);
  for (const type of types) {
    const own = steps.get(type);
    const renamedInto = firstVersion.get(type);
    const first =
      renamedInto === undefined ? 1 : Math.min(renamedInto, ...(own === undefined ? [] : own.keys()));
    const last = versions.get(type) ?? Math.max(...own!.keys()) + 1;
    for (let version = first; version < last; version++) {
      if (own?.has(version) !== true) {
        throw new UpcasterChainError(type, version, 'no upcaster starts at this version of the history');
      }
    }
  }
}
