import type { BenchTarget } from './bench-target.js';
import { memoryTarget } from './targets/memory-target.js';
import { mysqlTarget } from './targets/mysql-target.js';
import { postgresTarget } from './targets/postgres-target.js';
import { defaultRedisTarget } from './targets/redis-target.js';
import { sqliteFullTarget, sqliteNormalTarget } from './targets/sqlite-target.js';
import { tieredTarget } from './targets/tiered-target.js';
import { UsageError } from './usage-error.js';

/** How the server targets lay out the stores' tables. */
export interface TargetOptions {
  /** Hash partitions of the PostgreSQL and MySQL stores' events tables. */
  partitions?: number;
}

/** Every throughput target, in report order. A new adapter adds its target here. */
export function throughputTargetsFor(options: TargetOptions = {}): readonly BenchTarget[] {
  const { partitions } = options;
  return [
    memoryTarget,
    sqliteNormalTarget,
    sqliteFullTarget,
    postgresTarget(undefined, undefined, { partitions }),
    mysqlTarget(undefined, undefined, { partitions }),
    defaultRedisTarget,
    tieredTarget(mysqlTarget(undefined, undefined, { partitions })),
  ];
}

/** The targets with their default layout: their names are what `--target` may name. */
export const TARGETS: readonly BenchTarget[] = throughputTargetsFor();

/** The names `--target` can use for a throughput target: its name and its family. */
export const targetKeys = (target: BenchTarget): readonly string[] => [target.name, target.family];

/** The items one of whose keys (name, families) is listed; all of them when the list is empty. */
export function selectByKeys<T>(
  all: readonly T[],
  requested: readonly string[],
  keys: (item: T) => readonly string[],
): T[] {
  if (requested.length === 0) return [...all];
  return all.filter((item) => keys(item).some((key) => requested.includes(key)));
}

/** Refuses a `--target` list naming anything no suite that runs knows. */
export function assertKnownTargets(requested: readonly string[], known: readonly string[]): void {
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown target ${unknown.join(', ')} (known: ${[...new Set(known)].join(', ')})`);
  }
}

/** Something that may not be able to run here, e.g. because its server is down. */
export interface Probed {
  readonly name: string;
  probe?(): Promise<string | undefined>;
}

export interface Skipped<T> {
  target: T;
  reason: string;
}

/** Splits targets into those that can run here and those whose probe says why not (e.g. no server). */
export async function probeTargets<T extends Probed>(
  targets: readonly T[],
): Promise<{ runnable: T[]; skipped: Skipped<T>[] }> {
  const reasons = await Promise.all(targets.map((t) => t.probe?.() ?? Promise.resolve(undefined)));
  const runnable: T[] = [];
  const skipped: Skipped<T>[] = [];
  targets.forEach((target, i) => {
    const reason = reasons[i];
    if (reason === undefined) runnable.push(target);
    else skipped.push({ target, reason });
  });
  return { runnable, skipped };
}
