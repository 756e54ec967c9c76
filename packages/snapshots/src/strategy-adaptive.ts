import { ValidationError } from '@strata/core';
import type { SnapshotContext, SnapshotStrategy } from './snapshot-strategy.js';

/** The seed's knobs, with its defaults. */
export interface AdaptiveOptions {
  /** Events between snapshots for a stream with no pressure at all. Default 50. */
  eventCountThreshold?: number;
  /** A snapshot this old counts as one unit of pressure per half of this many seconds. Default 3600. */
  timeThresholdSeconds?: number;
  /** Weight of the cost of applying one event. Default 1.0. */
  complexityMultiplier?: number;
  /** Weight of how often the stream is loaded. Default 0.3. */
  accessFrequencyWeight?: number;
  /** Weight of the state's size, which raises the threshold: big snapshots cost to write. Default 0.2. */
  sizeWeight?: number;
  /** Weight of how long the last load took. Default 0.5. */
  performanceWeight?: number;
  /** The threshold never goes below this. Default 10. */
  minThreshold?: number;
  /** The threshold never goes above this. Default 1000. */
  maxThreshold?: number;
}

const DEFAULTS: Required<AdaptiveOptions> = {
  eventCountThreshold: 50,
  timeThresholdSeconds: 3600,
  complexityMultiplier: 1.0,
  accessFrequencyWeight: 0.3,
  sizeWeight: 0.2,
  performanceWeight: 0.5,
  minThreshold: 10,
  maxThreshold: 1000,
};

/** Applying one event in 10 µs is "one unit" of complexity. */
const REFERENCE_MS_PER_EVENT = 0.01;
/** A load taking 10 ms is "one unit" of slowness. */
const REFERENCE_LOAD_MS = 10;

/**
 * The number of events after which the adaptive strategy snapshots a stream (see the README):
 *
 *   pressure  = 1 + complexityMultiplier · log2(1 + msPerEvent / 0.01)
 *                 + accessFrequencyWeight · log2(1 + loadsPerMinute)
 *                 + performanceWeight · log2(1 + lastLoadMs / 10)
 *                 + 0.5 · msSinceSnapshot / timeThreshold
 *   threshold = clamp(eventCountThreshold · (1 + sizeWeight · log2(1 + stateKiB)) / pressure,
 *                     minThreshold, maxThreshold)
 *
 * Every term is a ratio to a reference, so the weights compare like with like; log2 keeps one
 * extreme input from swamping the others.
 */
export function adaptiveThreshold(context: SnapshotContext, options: AdaptiveOptions = {}): number {
  const o = resolve(options);
  const pressure =
    1 +
    o.complexityMultiplier * Math.log2(1 + context.replayMsPerEvent / REFERENCE_MS_PER_EVENT) +
    o.accessFrequencyWeight * Math.log2(1 + context.loadsPerMinute) +
    o.performanceWeight * Math.log2(1 + context.lastReplayMs / REFERENCE_LOAD_MS) +
    (0.5 * context.msSinceSnapshot) / (o.timeThresholdSeconds * 1000);
  const sizeFactor = 1 + o.sizeWeight * Math.log2(1 + context.stateBytes / 1024);
  const threshold = Math.round((o.eventCountThreshold * sizeFactor) / pressure);
  return Math.min(o.maxThreshold, Math.max(o.minThreshold, threshold));
}

/** Snapshots sooner for streams that are costly or often loaded, later for big states. */
export function adaptive(options: AdaptiveOptions = {}): SnapshotStrategy {
  const resolved = resolve(options);
  return {
    name: 'adaptive',
    shouldSnapshot: (context) => context.eventsSinceSnapshot >= adaptiveThreshold(context, resolved),
  };
}

function resolve(options: AdaptiveOptions): Required<AdaptiveOptions> {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  for (const key of ['eventCountThreshold', 'minThreshold', 'maxThreshold'] as const) {
    if (!Number.isSafeInteger(o[key]) || o[key] < 1)
      throw new ValidationError(key, 'must be an integer >= 1');
  }
  if (o.minThreshold > o.maxThreshold) {
    throw new ValidationError('minThreshold', `must not exceed maxThreshold (${o.maxThreshold})`);
  }
  if (!(o.timeThresholdSeconds > 0)) throw new ValidationError('timeThresholdSeconds', 'must be > 0');
  for (const key of [
    'complexityMultiplier',
    'accessFrequencyWeight',
    'sizeWeight',
    'performanceWeight',
  ] as const) {
    if (!Number.isFinite(o[key]) || o[key] < 0) throw new ValidationError(key, 'must be a number >= 0');
  }
  return o;
}
