import { assertName, type EventRegistry, MAX_SCHEMA_VERSION, ValidationError } from '@strata/core';
import type { Upcaster } from './upcaster.js';
import { UpcasterChainError } from './upcaster-chain-error.js';

/** A checked step: where it leads and what it does to the payload. */
export interface UpcastStep {
  readonly toType: string;
  readonly toVersion: number;
  readonly upcast: Upcaster['upcast'];
}

/**
 * The upcasters of a program, checked as a whole: every stored version of every type they name
 * reaches exactly one current type at its current version. `withUpcasting` reads events through it.
 */
export interface UpcasterChain {
  /** Each current type's schema version (the registry's, at the time of `defineUpcasters`). */
  readonly current: ReadonlyMap<string, number>;
  /** The steps that take `type` at `version` to its current version; `undefined` for none. */
  stepsFrom(type: string, version: number): readonly UpcastStep[] | undefined;
  /** The current type an old type name upcasts to; `undefined` for current and unknown types. */
  renamedTo(type: string): string | undefined;
  /** Every stored name whose events upcast to the current `type`, itself first. */
  storedNamesOf(type: string): readonly string[];
  /** True for a type the chain knows: current, or an old name of one. */
  manages(type: string): boolean;
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
  const plans = new Map<string, Map<number, UpcastStep[]>>();
  const renamedTo = new Map<string, string>();
  for (const [type, byVersion] of steps) {
    const plan = new Map<number, UpcastStep[]>();
    for (const version of byVersion.keys()) {
      const { path, target } = walk(type, version, steps, versions);
      plan.set(version, path);
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
  for (const [old, target] of renamedTo) {
    const names = storedNames.get(target) ?? [target];
    names.push(old);
    storedNames.set(target, names);
  }
  return {
    current: versions,
    stepsFrom: (type, version) => plans.get(type)?.get(version),
    renamedTo: (type) => renamedTo.get(type),
    storedNamesOf: (type) => storedNames.get(type) ?? [type],
    manages: (type) => versions.has(type) || renamedTo.has(type),
  };
}

function currentVersions(current: EventRegistry | Readonly<Record<string, number>>): Map<string, number> {
  const entries = isRegistry(current) ? [...current.types] : Object.entries(current);
  const versions = new Map<string, number>();
  for (const [type, version] of entries) {
    assertName(type, 'current');
    assertSchemaVersion(version, `current["${type}"]`);
    versions.set(type, version);
  }
  return versions;
}

/** By shape, not `instanceof`: a program can end up with two copies of `@strata/core`. */
function isRegistry(current: EventRegistry | Readonly<Record<string, number>>): current is EventRegistry {
  const registry = current as Partial<EventRegistry>;
  return typeof registry.isRegistered === 'function' && registry.types instanceof Map;
}

function assertSchemaVersion(version: unknown, path: string): asserts version is number {
  if (!Number.isSafeInteger(version) || (version as number) < 1 || (version as number) > MAX_SCHEMA_VERSION) {
    throw new ValidationError(path, `must be a schema version, an integer from 1 to ${MAX_SCHEMA_VERSION}`);
  }
}

/** Each upcaster, validated, keyed by the stored type and version it reads. */
function checkedSteps(
  upcasters: readonly Upcaster[],
  versions: ReadonlyMap<string, number>,
): Map<string, Map<number, UpcastStep>> {
  if (!Array.isArray(upcasters)) throw new ValidationError('upcasters', 'must be an array');
  const steps = new Map<string, Map<number, UpcastStep>>();
  upcasters.forEach((upcaster, i) => {
    const path = `upcasters[${i}]`;
    if (typeof upcaster !== 'object' || upcaster === null)
      throw new ValidationError(path, 'must be an object');
    const { type, fromVersion } = upcaster;
    assertName(type, `${path}.type`);
    assertSchemaVersion(fromVersion, `${path}.fromVersion`);
    const toType = upcaster.toType ?? type;
    assertName(toType, `${path}.toType`);
    if (upcaster.upcast !== undefined && typeof upcaster.upcast !== 'function') {
      throw new ValidationError(`${path}.upcast`, 'must be a function');
    }
    let toVersion: number;
    if (toType === type) {
      toVersion = upcaster.toVersion ?? fromVersion + 1;
      if (toVersion !== fromVersion + 1) {
        throw new UpcasterChainError(
          type,
          fromVersion,
          `a step moves one version, to ${fromVersion + 1}, not ${toVersion}`,
        );
      }
    } else {
      if (upcaster.toVersion === undefined) {
        throw new ValidationError(
          `${path}.toVersion`,
          `a rename to "${toType}" names the version it becomes`,
        );
      }
      toVersion = upcaster.toVersion;
      if (versions.has(type)) {
        throw new UpcasterChainError(
          type,
          fromVersion,
          `renames to "${toType}" a type that is still current`,
        );
      }
    }
    assertSchemaVersion(toVersion, `${path}.toVersion`);
    const currentVersion = versions.get(type);
    if (currentVersion !== undefined && fromVersion >= currentVersion) {
      throw new UpcasterChainError(
        type,
        fromVersion,
        `the current version is ${currentVersion}; nothing upcasts from it`,
      );
    }
    const byVersion = steps.get(type) ?? new Map<number, UpcastStep>();
    if (byVersion.has(fromVersion))
      throw new UpcasterChainError(type, fromVersion, 'two upcasters start here');
    byVersion.set(fromVersion, { toType, toVersion, upcast: upcaster.upcast });
    steps.set(type, byVersion);
  });
  return steps;
}

/** Follows the steps from one stored version to the current version of the type it ends as. */
function walk(
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
function assertNoGaps(
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
