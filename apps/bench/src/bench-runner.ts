import type { BenchScale } from './bench-scale.js';
import type { BenchSubject, BenchTarget, TargetDatabase } from './bench-target.js';
import { median, type SampleSummary, summarize } from './median-stats.js';
import { storeSubject } from './store-subject.js';
import type { Workload, WorkloadId } from './workloads/workload.js';

export type Side = 'adapter' | 'raw' | 'minimal' | 'floor';

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
  /** Events per second of the minimal hand-written store (issue 12); `undefined` where there is none. */
  minimal: SampleSummary | undefined;
  /** Median over runs of adapter/minimal within each run of the three sides, as `ratio`. */
  minimalRatio: number | undefined;
  minimalPairedRatios: number[];
  /** Issue 12's target for `minimalRatio`: reported, never failing the run. */
  minimalTarget: number | undefined;
  minimalPass: boolean | undefined;
  /** Events per second of the floor baseline; absent where the target has none. */
  floor?: SampleSummary;
  /**
   * Median over runs of adapter/floor within each run of the sides, as `ratio`; `ratio` itself where
   * the raw side is the floor (`BenchTarget.rawIsFloor`).
   */
  floorRatio?: number;
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
 * Runs every workload on every target. Adapter, raw and minimal runs alternate, the order reversed
 * every other run (A R M, M R A, A R M, ...; A R, R A with two sides), so machine noise and
 * ordering effects (page cache, CPU boost, GC) hit every side equally.
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
  const hasMinimal = target.minimal !== undefined;
  const sides = sidesOf(target);
  if (options.warmup !== undefined) {
    for (const side of sides) await measureOnce(target, workload, side, options.warmup);
  }
  const samples: Record<Side, number[]> = { adapter: [], raw: [], minimal: [], floor: [] };
  for (let run = 0; run < options.scale.runs; run++) {
    for (const side of runOrder(sides, run))
      samples[side].push(await measureOnce(target, workload, side, options.scale));
  }
  const adapter = summarize(samples.adapter);
  const raw = hasRaw ? summarize(samples.raw) : undefined;
  const pairedRatios = samples.raw.map((r, i) => (samples.adapter[i] ?? 0) / r);
  const ratio = raw === undefined ? undefined : median(pairedRatios);
  const goal = hasRaw ? target.goals[workload.id] : undefined;
  const minimal = hasMinimal ? summarize(samples.minimal) : undefined;
  const minimalPairedRatios = samples.minimal.map((m, i) => (samples.adapter[i] ?? 0) / m);
  const minimalRatio = minimal === undefined ? undefined : median(minimalPairedRatios);
  const minimalTarget = target.minimal?.targets[workload.id];
  const floor = target.floor === undefined ? undefined : summarize(samples.floor);
  let floorRatio: number | undefined;
  if (floor !== undefined) floorRatio = median(samples.floor.map((f, i) => (samples.adapter[i] ?? 0) / f));
  else if (target.rawIsFloor) floorRatio = ratio;
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
    minimal,
    minimalRatio,
    minimalPairedRatios,
    minimalTarget,
    minimalPass:
      minimalTarget === undefined || minimalRatio === undefined ? undefined : minimalRatio >= minimalTarget,
    ...(floor === undefined ? {} : { floor }),
    ...(floorRatio === undefined ? {} : { floorRatio }),
    rawReference: target.rawReference[workload.id],
    seconds: (performance.now() - started) / 1000,
  };
}

/** The sides a target measures: the adapter, then its raw, minimal and floor baselines where it has them. */
export function sidesOf(target: BenchTarget): Side[] {
  const sides: Side[] = ['adapter'];
  if (target.rawBaseline !== undefined) sides.push('raw');
  if (target.minimal !== undefined) sides.push('minimal');
  if (target.floor !== undefined) sides.push('floor');
  return sides;
}

/** The order of the sides in run `run`: as listed on even runs, reversed on odd ones. */
export function runOrder(sides: readonly Side[], run: number): Side[] {
  return run % 2 === 0 ? [...sides] : [...sides].reverse();
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
  if (side === 'floor') {
    if (database.openFloor === undefined)
      throw new Error('the target declares a floor baseline but its database cannot open one');
    return database.openFloor();
  }
  if (side === 'minimal') {
    if (database.openMinimal === undefined)
      throw new Error('the target declares a minimal store but its database cannot open one');
    return database.openMinimal();
  }
  if (database.openRaw === undefined)
    throw new Error('the target declares a raw baseline but its database cannot open one');
  return database.openRaw();
}

function progressLine(result: WorkloadResult): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const raw = result.raw === undefined ? '' : `  raw ${fmt(result.raw.median)}/s`;
  const minimal = result.minimal === undefined ? '' : `  minimal ${fmt(result.minimal.median)}/s`;
  const floor = result.floor === undefined ? '' : `  floor ${fmt(result.floor.median)}/s`;
  return `  ${result.target} ${result.workload}: adapter ${fmt(result.adapter.median)}/s${raw}${minimal}${floor}  (${result.seconds.toFixed(1)} s)`;
}
