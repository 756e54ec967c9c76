import { assertName, type EventRegistry, MAX_SCHEMA_VERSION, ValidationError } from '@strata/core';
import type { ChainStep } from './chain-walk.js';
import type { SplitPart, Upcaster } from './upcaster.js';
import type { SplitStep } from './upcaster-chain.js';
import { UpcasterChainError } from './upcaster-chain-error.js';

/** Each current type's schema version, validated. */
export function currentVersions(
  current: EventRegistry | Readonly<Record<string, number>>,
): Map<string, number> {
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
export function checkedSteps(
  upcasters: readonly Upcaster[],
  versions: ReadonlyMap<string, number>,
): Map<string, Map<number, ChainStep>> {
  if (!Array.isArray(upcasters)) throw new ValidationError('upcasters', 'must be an array');
  const steps = new Map<string, Map<number, ChainStep>>();
  upcasters.forEach((upcaster, i) => {
    const path = `upcasters[${i}]`;
    if (typeof upcaster !== 'object' || upcaster === null)
      throw new ValidationError(path, 'must be an object');
    const { type, fromVersion } = upcaster;
    assertName(type, `${path}.type`);
    assertSchemaVersion(fromVersion, `${path}.fromVersion`);
    const step: ChainStep =
      upcaster.into !== undefined || upcaster.split !== undefined
        ? checkedSplit(upcaster, path)
        : checkedStep(upcaster, path, versions);
    const currentVersion = versions.get(type);
    if (currentVersion !== undefined && fromVersion >= currentVersion) {
      throw new UpcasterChainError(
        type,
        fromVersion,
        `the current version is ${currentVersion}; nothing upcasts from it`,
      );
    }
    const byVersion = steps.get(type) ?? new Map<number, ChainStep>();
    if (byVersion.has(fromVersion))
      throw new UpcasterChainError(type, fromVersion, 'two upcasters start here');
    byVersion.set(fromVersion, step);
    steps.set(type, byVersion);
  });
  return steps;
}

/** A step to one event: a version step or a rename. */
function checkedStep(upcaster: Upcaster, path: string, versions: ReadonlyMap<string, number>): ChainStep {
  const { type, fromVersion } = upcaster;
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
      throw new ValidationError(`${path}.toVersion`, `a rename to "${toType}" names the version it becomes`);
    }
    toVersion = upcaster.toVersion;
    if (versions.has(type)) {
      throw new UpcasterChainError(type, fromVersion, `renames to "${toType}" a type that is still current`);
    }
  }
  assertSchemaVersion(toVersion, `${path}.toVersion`);
  return { toType, toVersion, upcast: upcaster.upcast };
}

/** A split: its parts named, each a type and a version, and a function that gives their payloads. */
function checkedSplit(upcaster: Upcaster, path: string): SplitStep {
  for (const key of ['toType', 'toVersion', 'upcast'] as const) {
    if (upcaster[key] !== undefined) {
      throw new ValidationError(
        `${path}.${key}`,
        'a split names its parts in `into` and gives their payloads with `split`; leave it out',
      );
    }
  }
  const { into, split } = upcaster;
  if (!Array.isArray(into) || into.length === 0) {
    throw new ValidationError(
      `${path}.into`,
      'a split names its parts: a non-empty array of { type, version }',
    );
  }
  if (typeof split !== 'function') {
    throw new ValidationError(`${path}.split`, 'a split gives the payloads of its parts: must be a function');
  }
  const parts: SplitPart[] = into.map((part: SplitPart, j) => {
    if (typeof part !== 'object' || part === null)
      throw new ValidationError(`${path}.into[${j}]`, 'must be an object');
    assertName(part.type, `${path}.into[${j}].type`);
    assertSchemaVersion(part.version, `${path}.into[${j}].version`);
    return { type: part.type, version: part.version };
  });
  return { into: parts, split };
}
