export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): SampleSummary {
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: [...samples],
  };
}

/** Half the min-max range relative to the median: a rough "±" that shows how noisy a number is. */
export function relativeSpread(summary: SampleSummary): number {
  return summary.median === 0 ? 0 : (summary.max - summary.min) / 2 / summary.median;
}
