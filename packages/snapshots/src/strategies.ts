import { ValidationError } from '@strata/core';
import type { SnapshotContext, SnapshotStrategy } from './snapshot-strategy.js';

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ValidationError(name, 'must be an integer >= 1');
  return value;
}

/** A snapshot once `n` events have been saved since the last one (the seed's `threshold`). */
export function everyNEvents(n = 10): SnapshotStrategy {
  positiveInteger('n', n);
  return {
    name: `everyNEvents(${n})`,
    shouldSnapshot: (context) => context.eventsSinceSnapshot >= n,
  };
}

/** A snapshot when the last one is older than `intervalMs` and at least one event came since. */
export function timeBased(intervalMs: number): SnapshotStrategy {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new ValidationError('intervalMs', 'must be a number of milliseconds > 0');
  }
  return {
    name: `timeBased(${intervalMs}ms)`,
    shouldSnapshot: (context) => context.eventsSinceSnapshot > 0 && context.msSinceSnapshot >= intervalMs,
  };
}

/** Snapshots only when asked to (`snapshotter.snapshotNow`), never after a save. */
export const never: SnapshotStrategy = { name: 'never', shouldSnapshot: () => false };

/** A snapshot when any of the strategies wants one. */
export function anyOf(...strategies: SnapshotStrategy[]): SnapshotStrategy {
  if (strategies.length === 0) throw new ValidationError('strategies', 'anyOf needs at least one strategy');
  return {
    name: `anyOf(${strategies.map((s) => s.name).join(', ')})`,
    shouldSnapshot: (context: SnapshotContext) => strategies.some((s) => s.shouldSnapshot(context)),
  };
}

/** A snapshot only when every strategy wants one. */
export function allOf(...strategies: SnapshotStrategy[]): SnapshotStrategy {
  if (strategies.length === 0) throw new ValidationError('strategies', 'allOf needs at least one strategy');
  return {
    name: `allOf(${strategies.map((s) => s.name).join(', ')})`,
    shouldSnapshot: (context: SnapshotContext) => strategies.every((s) => s.shouldSnapshot(context)),
  };
}
