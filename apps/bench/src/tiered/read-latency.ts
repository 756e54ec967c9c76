import { benchBatch } from '../workloads/bench-events.js';
import { addCounts, NO_COUNTS, subtractCounts, type WarmCounts } from './counting-event-store.js';
import { elapsedMs, type LatencySummary, summarizeLatency } from './latency-stats.js';
import { settle, type TieredFixture } from './tiered-fixture.js';
import { perRound, rotated, type TieredScale } from './tiered-scale.js';

export type ReadCase = 'warm' | 'strict' | 'bounded' | 'miss' | 'down' | 'hot-tier' | 'ping';

/**
 * The cases the issue asks for (`down`: Redis unreachable, the breaker open), then two that show
 * where a hit's time goes: the hot tier's own
 * read (its Lua script and decoding, without the tiered store's checks) and a Redis PING (the
 * round trip every hit pays at least).
 */
export const READ_CASES: readonly ReadCase[] = [
  'warm',
  'strict',
  'bounded',
  'miss',
  'down',
  'hot-tier',
  'ping',
];

export const READ_CASE_LABELS: Readonly<Record<ReadCase, string>> = {
  warm: 'warm alone',
  strict: 'hot hit, strict',
  bounded: 'hot hit, bounded',
  miss: 'miss (warm read, promotion)',
  down: 'Redis down (breaker open)',
  'hot-tier': 'hot tier read only (diagnostic)',
  ping: 'Redis PING (diagnostic floor)',
};

/** The whole stream, as `readStream` without options asks the hot tier for it. */
const WHOLE_STREAM = {
  fromVersion: 1,
  toVersion: Number.MAX_SAFE_INTEGER,
  limit: undefined,
  direction: 'forward',
} as const;

/** Per read, what the warm store was asked (a miss's background promotion included). */
export interface WarmPerRead {
  reads: number;
  eventRows: number;
  versionLookups: number;
}

export interface ReadCaseResult {
  backend: string;
  size: number;
  readCase: ReadCase;
  latency: LatencySummary;
  warm: WarmPerRead;
  /** Share of the reads the tiered store answered from the hot tier; `undefined` when no tiered store read. */
  hitShare: number | undefined;
}

interface Accumulator {
  samples: number[];
  counts: WarmCounts;
  hits: number;
}

/**
 * readStream latency of whole streams of each length, for every case, in interleaved rounds: each
 * round runs one block of every case in a rotated order, so drift in the machine's load hits all
 * cases alike. Making sure a copy exists (or does not) and waiting for background work are not timed.
 */
export async function measureReads(
  fixture: TieredFixture,
  backend: string,
  scale: TieredScale,
): Promise<ReadCaseResult[]> {
  const results: ReadCaseResult[] = [];
  for (const size of scale.sizes) {
    const streamId = `tiered-read-${size}`;
    for (let done = 0; done < size; done += 100) {
      const batch = benchBatch(done, Math.min(100, size - done));
      await fixture.warm.append(streamId, batch, { expectedVersion: done });
    }
    const scratch = newAccumulator();
    for (const readCase of READ_CASES)
      await readBlock(fixture, readCase, streamId, size, scale.warmupReads, scratch);
    const acc = new Map(READ_CASES.map((c) => [c, newAccumulator()]));
    const block = perRound(scale.reads[size] ?? 0, scale.rounds);
    for (let round = 0; round < scale.rounds; round++) {
      for (const readCase of rotated(READ_CASES, round)) {
        await readBlock(fixture, readCase, streamId, size, block, acc.get(readCase)!);
      }
    }
    for (const readCase of READ_CASES) {
      const { samples, counts, hits } = acc.get(readCase)!;
      const n = samples.length;
      results.push({
        backend,
        size,
        readCase,
        latency: summarizeLatency(samples),
        warm: {
          reads: counts.reads / n,
          eventRows: counts.eventRows / n,
          versionLookups: counts.versionLookups / n,
        },
        hitShare: isTieredRead(readCase) ? hits / n : undefined,
      });
    }
  }
  return results;
}

function newAccumulator(): Accumulator {
  return { samples: [], counts: { ...NO_COUNTS }, hits: 0 };
}

async function readBlock(
  fixture: TieredFixture,
  readCase: ReadCase,
  streamId: string,
  size: number,
  reads: number,
  into: Accumulator,
): Promise<void> {
  const tiered = tieredOf(fixture, readCase);
  if (readCase !== 'warm' && readCase !== 'miss' && readCase !== 'down') {
    // A miss block may have dropped the copy: one untimed read promotes it again.
    await tiered.readStream(streamId);
    await settle(fixture);
  }
  const countsBefore = fixture.warm.snapshot();
  const hitsBefore = tiered.stats().hits;
  for (let i = 0; i < reads; i++) {
    if (readCase === 'miss') {
      await settle(fixture);
      await fixture.hot.invalidate(streamId);
    }
    const start = process.hrtime.bigint();
    const read = await readOnce(fixture, readCase, streamId);
    into.samples.push(elapsedMs(start));
    if (read !== size && readCase !== 'ping')
      throw new Error(`${readCase} read ${read} events of ${streamId}, expected ${size}`);
  }
  await settle(fixture);
  into.counts = addCounts(into.counts, subtractCounts(fixture.warm.snapshot(), countsBefore));
  if (isTieredRead(readCase)) into.hits += tiered.stats().hits - hitsBefore;
}

function isTieredRead(readCase: ReadCase): boolean {
  return readCase === 'strict' || readCase === 'bounded' || readCase === 'miss' || readCase === 'down';
}

function tieredOf(fixture: TieredFixture, readCase: ReadCase) {
  if (readCase === 'bounded') return fixture.bounded;
  return readCase === 'down' ? fixture.down : fixture.strict;
}

/** One timed read; returns the number of events it decoded. */
async function readOnce(fixture: TieredFixture, readCase: ReadCase, streamId: string): Promise<number> {
  switch (readCase) {
    case 'warm':
      return (await fixture.warm.readStream(streamId)).length;
    case 'strict':
    case 'miss':
      return (await fixture.strict.readStream(streamId)).length;
    case 'bounded':
      return (await fixture.bounded.readStream(streamId)).length;
    case 'down':
      return (await fixture.down.readStream(streamId)).length;
    case 'hot-tier': {
      const read = await fixture.hot.read(streamId, WHOLE_STREAM, undefined);
      return read.kind === 'covered' ? read.events.length : 0;
    }
    case 'ping':
      await fixture.ping();
      return 0;
  }
}
