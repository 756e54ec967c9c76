import type { WorkloadResult } from './bench-runner.js';
import type { BenchTarget } from './bench-target.js';
import type { WorkloadId } from './workloads/workload.js';

export interface ScalingResult {
  target: string;
  targetLabel: string;
  faster: WorkloadId;
  than: WorkloadId;
  /** Median adapter events/s of each workload. */
  fasterRate: number;
  thanRate: number;
  /** fasterRate / thanRate: above 1 means the goal is met. */
  factor: number;
  pass: boolean;
}

/**
 * Judges each target's scaling goals on the adapter's median rates. A goal whose two workloads did
 * not both run (e.g. `--only W1`) is not judged.
 */
export function judgeScaling(
  targets: readonly BenchTarget[],
  results: readonly WorkloadResult[],
): ScalingResult[] {
  const judged: ScalingResult[] = [];
  for (const target of targets) {
    for (const goal of target.scaling ?? []) {
      const rate = (id: WorkloadId) =>
        results.find((r) => r.target === target.name && r.workload === id)?.adapter.median;
      const fasterRate = rate(goal.faster);
      const thanRate = rate(goal.than);
      if (fasterRate === undefined || thanRate === undefined) continue;
      const factor = fasterRate / thanRate;
      judged.push({
        target: target.name,
        targetLabel: target.label,
        faster: goal.faster,
        than: goal.than,
        fasterRate,
        thanRate,
        factor,
        pass: factor > 1,
      });
    }
  }
  return judged;
}

export function formatScalingLine(result: ScalingResult): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return (
    `${result.targetLabel}: adapter ${result.faster} ${fmt(result.fasterRate)}/s vs ` +
    `${result.than} ${fmt(result.thanRate)}/s = ${result.factor.toFixed(2)}x ` +
    `(goal: ${result.faster} faster than ${result.than}) ${result.pass ? 'pass' : 'MISS'}`
  );
}
