/** Latency percentiles of one case, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  /** The slowest sample: shows whether p99 is the tail or a single outlier. */
  max: number;
}

/**
 * The nearest-rank percentile: the smallest sample with at least `q` of the samples at or below
 * it. Always one of the samples (no interpolation), so p99 of 100 samples is the 99th, not a blend.
 */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(q > 0 && q <= 1)) throw new Error(`percentile q must be in (0, 1] (got ${q})`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    max: percentile(samples, 1),
  };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
