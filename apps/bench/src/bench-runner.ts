import type { BenchScale } from './bench-scale.js';
import type { BenchSubject, BenchTarget, TargetDatabase } from './bench-target.js';
import { median, type SampleSummary, summarize } from './median-stats.js';
import { storeSubject } from './store-subject.js';
import type { Workload, WorkloadId } from './workloads/workload.js';

export type Side = 'adapter' | 'raw';

export interface WorkloadResult {
  target: string;
  targetLabel: string;
  workload: WorkloadId;
  title: string;
  description: string;
  /** Events per second. */
  adapter: SampleSummary;
  raw: SampleSummary | undefined;
  /**
   * Median over runs of adapter/raw within each back-to-back pair. Pairs see the same machine
   * state, so this holds up better than median(adapter) / median(raw) when load drifts.
   */
  ratio: number | undefined;
  pairedRatios: number[];
  goal: number | undefined;
  pass: boolean | undefined;
  rawReference: number | undefined;
  seconds: number;
}

export interface RunnerOptions {
  scale: BenchScale;
  /** An untimed pass per side before measuring; `undefined` skips it. */
  warmup: BenchScale | undefined;
  onProgress(line: string): void;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs every workload on every target. Adapter and raw runs alternate (A R, R A, A R, ...) so
 * machine noise and ordering effects (page cache, CPU boost, GC) hit both sides equally.
 */
export async function runBench(
  targets: readonly BenchTarget[],
  workloads: readonly Workload[],
  options: RunnerOptions,
): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  for (const target of targets) {
    const scaled: RunnerOptions = {
      ...options,
      scale: scaleFor(target, options.scale),
      warmup: options.warmup === undefined ? undefined : scaleFor(target, options.warmup),
    };
    try {
      for (const workload of workloads) {
        const result = await benchWorkload(target, workload, scaled);
        results.push(result);
        options.onProgress(progressLine(result));
      }
    } finally {
      await target.dispose?.();
    }
  }
  return results;
}

async function benchWorkload(
  target: BenchTarget,
  workload: Workload,
  options: RunnerOptions,
): Promise<WorkloadResult> {
  const started = performance.now();
  const hasRaw = target.rawBaseline !== undefined;
  const sides: Side[] = hasRaw ? ['adapter', 'raw'] : ['adapter'];
  if (options.warmup !== undefined) {
    for (const side of sides) await measureOnce(target, workload, side, options.warmup);
  }
  const samples: Record<Side, number[]> = { adapter: [], raw: [] };
  for (let run = 0; run < options.scale.runs; run++) {
    const order = run % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) samples[side].push(await measureOnce(target, workload, side, options.scale));
  }
  const adapter = summarize(samples.adapter);
  const raw = hasRaw ? summarize(samples.raw) : undefined;
  const pairedRatios = samples.raw.map((r, i) => (samples.adapter[i] ?? 0) / r);
  const ratio = raw === undefined ? undefined : median(pairedRatios);
  const goal = hasRaw ? target.goals[workload.id] : undefined;
  return {
    target: target.name,
    targetLabel: target.label,
    workload: workload.id,
    title: workload.title,
    description: workload.describe(options.scale),
    adapter,
    raw,
    ratio,
    pairedRatios,
    goal,
    pass: goal === undefined || ratio === undefined ? undefined : ratio >= goal,
    rawReference: target.rawReference[workload.id],
    seconds: (performance.now() - started) / 1000,
  };
}

export function scaleFor(target: BenchTarget, scale: BenchScale): BenchScale {
  return target.scaleFor?.(scale) ?? scale;
}

/** One timed run on a fresh database; returns events per second. Seeding and opening are not timed. */
async function measureOnce(
  target: BenchTarget,
  workload: Workload,
  side: Side,
  scale: BenchScale,
): Promise<number> {
  const database = await target.setup();
  try {
    if (workload.seed !== undefined) await database.seed(workload.seed(scale));
    const subject = await openSide(database, side);
    try {
      gc?.();
      const start = process.hrtime.bigint();
      const events = await workload.run(subject, scale);
      const elapsedNs = Number(process.hrtime.bigint() - start);
      return events / (elapsedNs / 1e9);
    } finally {
      await subject.close();
    }
  } finally {
    await database.teardown();
  }
}

async function openSide(database: TargetDatabase, side: Side): Promise<BenchSubject> {
  if (side === 'adapter') return storeSubject(await database.createStore());
  if (database.openRaw === undefined)
    throw new Error('the target declares a raw baseline but its database cannot open one');
  return database.openRaw();
}

function progressLine(result: WorkloadResult): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const raw = result.raw === undefined ? '' : `  raw ${fmt(result.raw.median)}/s`;
  return `  ${result.target} ${result.workload}: adapter ${fmt(result.adapter.median)}/s${raw}  (${result.seconds.toFixed(1)} s)`;
}
