import type { BenchTarget } from './bench-target.js';
import { memoryTarget } from './targets/memory-target.js';
import { sqliteFullTarget, sqliteNormalTarget } from './targets/sqlite-target.js';
import { UsageError } from './usage-error.js';

/** Every target, in report order. A new adapter adds its target here. */
export const TARGETS: readonly BenchTarget[] = [memoryTarget, sqliteNormalTarget, sqliteFullTarget];

/** The targets whose family or name is listed; all of them when the list is empty. */
export function selectTargets(all: readonly BenchTarget[], requested: readonly string[]): BenchTarget[] {
  if (requested.length === 0) return [...all];
  const unknown = requested.filter((name) => !all.some((t) => t.family === name || t.name === name));
  if (unknown.length > 0) {
    const known = [...new Set(all.flatMap((t) => [t.family, t.name]))].join(', ');
    throw new UsageError(`unknown target ${unknown.join(', ')} (known: ${known})`);
  }
  return all.filter((t) => requested.includes(t.family) || requested.includes(t.name));
}
