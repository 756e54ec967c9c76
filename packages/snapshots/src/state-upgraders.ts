import { ValidationError } from '@strata/core';

/** Moves a decoded state from shape `n` to shape `n + 1`. */
export type StateUpgrader = (state: unknown) => unknown;

/**
 * Upgraders keyed by the state version they upgrade from. Checked once: every key must be below
 * the current version, so a chain can never run past it.
 */
export function checkUpgraders(
  upgraders: Record<number, StateUpgrader>,
  stateVersion: number,
): Map<number, StateUpgrader> {
  const checked = new Map<number, StateUpgrader>();
  for (const [key, upgrade] of Object.entries(upgraders)) {
    const from = Number(key);
    if (!Number.isSafeInteger(from) || from < 1 || from >= stateVersion) {
      throw new ValidationError(
        `upgraders[${key}]`,
        `upgrades from a state version, so it must be an integer from 1 to ${stateVersion - 1}`,
      );
    }
    if (typeof upgrade !== 'function') throw new ValidationError(`upgraders[${key}]`, 'must be a function');
    checked.set(from, upgrade);
  }
  return checked;
}

/**
 * The state moved up to `stateVersion`, or `undefined` when a step of the chain is missing (the
 * snapshot is then ignored, never half-upgraded).
 */
export function upgradeState(
  state: unknown,
  from: number,
  stateVersion: number,
  upgraders: Map<number, StateUpgrader>,
): unknown {
  if (from > stateVersion) return undefined;
  let current = state;
  for (let version = from; version < stateVersion; version++) {
    const upgrade = upgraders.get(version);
    if (upgrade === undefined) return undefined;
    current = upgrade(current);
  }
  return current;
}
