import { assertName, type EventRegistry, MAX_SCHEMA_VERSION, ValidationError } from '@strata/core';
import type { Upcaster } from './upcaster.js';
import type { UpcastStep } from './upcaster-chain.js';
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
