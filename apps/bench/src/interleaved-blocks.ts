import type { BenchScale } from './bench-scale.js';
import type { BenchSubject, BenchTarget, TargetDatabase } from './bench-target.js';
import { median } from './median-stats.js';
import { storeSubject } from './store-subject.js';
import { UsageError } from './usage-error.js';
import { appendRoundRobinRange } from './workloads/append-workloads.js';
import { benchStreamIds } from './workloads/bench-events.js';

/** The serial append workloads, whose appends can be split into blocks. */
export type InterleavedWorkload = 'W1' | 'W3';

export interface InterleavedOptions {
  workload: InterleavedWorkload;
  /** The target's scale (`scaleFor`): W1 and W3 take their counts and streams from it. */
  scale: BenchScale;
  rounds: number;
  /** Appends per block; the sides take turns block by block. */
  block: number;
  /**
   * A round at this scale first, not counted, as `pnpm bench` warms each side up: the store's
   * longer code path otherwise pays its compilation inside the first measured round.
   */
  warmup?: BenchScale;
}

export interface InterleavedRound {
  /** Store events/s over floor events/s, from the time each side spent in its blocks. */
  ratio: number;
  /** Wall and this process's CPU time per append, per side. */
  storeMicros: number;
  floorMicros: number;
  storeCpuMicros: number;
  floorCpuMicros: number;
}

export interface InterleavedResult {
  /** What the store was compared with: the target's floor, or (Redis) its raw side, which is its floor. */
  baseline: 'floor' | 'raw';
  appends: number;
  batchSize: number;
  rounds: InterleavedRound[];
  medianRatio: number;
}

/**
 * The store and its floor measured in the same stretch of time: both open at once, each with its
 * own streams and versions, taking turns every `block` appends (which side goes first alternates).
 * A whole run per side, as `pnpm bench` does, lets the host's drift land on one side only; here it
 * lands on both. It has a bias of its own: a collection started by one side's garbage can land in
 * the other side's block.
 */
export async function measureInterleaved(
  target: BenchTarget,
  options: InterleavedOptions,
): Promise<InterleavedResult> {
  const { workload, scale, rounds, block } = options;
  const shape = shapeOf(workload, scale, block);
  let baseline: InterleavedResult['baseline'] | undefined;
  const round = async (roundShape: Omit<Shape, 'storeFirst'>, storeFirst: boolean) => {
    const measured = await measureRound(target, { ...roundShape, storeFirst });
    baseline = measured.baseline;
    return measured.round;
  };
  if (options.warmup !== undefined) await round(shapeOf(workload, options.warmup, block), true);
  const measured: InterleavedRound[] = [];
  for (let i = 0; i < rounds; i++) measured.push(await round(shape, i % 2 === 0));
  return {
    baseline: baseline ?? 'floor',
    appends: shape.appends,
    batchSize: shape.batchSize,
    rounds: measured,
    medianRatio: median(measured.map((r) => r.ratio)),
  };
}

function shapeOf(workload: InterleavedWorkload, scale: BenchScale, block: number): Omit<Shape, 'storeFirst'> {
  const single = workload === 'W1';
  return {
    appends: single ? scale.singleAppends : Math.floor(scale.batchEvents / scale.batchSize),
    batchSize: single ? 1 : scale.batchSize,
    streams: single ? scale.streams : scale.batchStreams,
    block,
  };
}

/** One round on fresh databases: the store and its floor, opened together, closed together. */
async function measureRound(
  target: BenchTarget,
  shape: Shape,
): Promise<{ round: InterleavedRound; baseline: InterleavedResult['baseline'] }> {
  const databases = [await target.setup(), await target.setup()] as const;
  try {
    const floor = await openFloor(target, databases[1]);
    const sides = [storeSubject(await databases[0].createStore()), floor.subject] as const;
    try {
      return { round: await interleave(sides, shape), baseline: floor.baseline };
    } finally {
      for (const side of sides) await side.close();
    }
  } finally {
    for (const database of databases) await database.teardown();
  }
}

async function openFloor(
  target: BenchTarget,
  database: TargetDatabase,
): Promise<{ subject: BenchSubject; baseline: InterleavedResult['baseline'] }> {
  if (database.openFloor !== undefined) return { subject: await database.openFloor(), baseline: 'floor' };
  // A target whose raw side is its floor (Redis) declares no separate one.
  if (target.rawIsFloor && database.openRaw !== undefined) {
    return { subject: await database.openRaw(), baseline: 'raw' };
  }
  throw new UsageError(`target ${target.name} has no floor to compare the store with`);
}

interface Shape {
  appends: number;
  batchSize: number;
  streams: number;
  block: number;
  storeFirst: boolean;
}

async function interleave(
  sides: readonly [BenchSubject, BenchSubject],
  shape: Shape,
): Promise<InterleavedRound> {
  const { appends, batchSize, streams, block } = shape;
  const streamIds = benchStreamIds(batchSize === 1 ? 'w1' : 'w3', streams);
  const versions = [streamIds.map(() => 0), streamIds.map(() => 0)];
  const wallNs = [0, 0];
  const cpuMicros = [0, 0];
  for (let first = 0, turn = 0; first < appends; first += block, turn++) {
    const last = Math.min(appends, first + block);
    const storeFirst = (turn % 2 === 0) === shape.storeFirst;
    for (const side of storeFirst ? [0, 1] : [1, 0]) {
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      await appendRoundRobinRange(sides[side]!, streamIds, versions[side]!, first, last, batchSize);
      wallNs[side]! += Number(process.hrtime.bigint() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicros[side]! += cpu.user + cpu.system;
    }
  }
  const [storeNs, floorNs] = wallNs as [number, number];
  return {
    ratio: floorNs / storeNs,
    storeMicros: storeNs / 1000 / appends,
    floorMicros: floorNs / 1000 / appends,
    storeCpuMicros: cpuMicros[0]! / appends,
    floorCpuMicros: cpuMicros[1]! / appends,
  };
}
