import type { UpcastStep } from './upcaster-chain.js';
import { UpcasterChainError } from './upcaster-chain-error.js';

/** Follows the steps from one stored version to the current version of the type it ends as. */
export function walk(
  type: string,
  version: number,
  steps: ReadonlyMap<string, ReadonlyMap<number, UpcastStep>>,
  versions: ReadonlyMap<string, number>,
): { path: UpcastStep[]; target: string } {
  const path: UpcastStep[] = [];
  const seen = new Set<string>();
  let at = { type, version };
  for (;;) {
    const currentVersion = versions.get(at.type);
    if (currentVersion === at.version) return { path, target: at.type };
    const key = `${at.type}\u0000${at.version}`;
    if (seen.has(key)) {
      throw new UpcasterChainError(
        type,
        version,
        `the chain comes back to "${at.type}" at version ${at.version}`,
      );
    }
    seen.add(key);
    const step = steps.get(at.type)?.get(at.version);
    if (step === undefined) {
      const where = `"${at.type}" at version ${at.version}`;
      throw new UpcasterChainError(
        type,
        version,
        currentVersion !== undefined && at.version > currentVersion
          ? `the chain ends at ${where}, past its current version ${currentVersion}`
          : `the chain breaks off at ${where}: no upcaster starts there and it is not a current version`,
      );
    }
    path.push(step);
    at = { type: step.toType, version: step.toVersion };
  }
}

/**
 * Every version of a type's history, from its first to its current (or last renamed) one, has a
 * step. A type's history starts at version 1, unless it was born of a rename, at the version the
 * rename names (or a lower version it has a step from).
 */
export function assertNoGaps(
  steps: ReadonlyMap<string, ReadonlyMap<number, UpcastStep>>,
  versions: ReadonlyMap<string, number>,
): void {
  const firstVersion = new Map<string, number>();
  for (const byVersion of steps.values()) {
    for (const { toType, toVersion } of byVersion.values()) {
      if (byVersion === steps.get(toType)) continue;
      firstVersion.set(toType, Math.min(firstVersion.get(toType) ?? toVersion, toVersion));
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
