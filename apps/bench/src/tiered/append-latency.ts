import type { EventStore } from '@strata/core';
import { benchEvent } from '../workloads/bench-events.js';
import { addCounts, NO_COUNTS, subtractCounts, type WarmCounts } from './counting-event-store.js';
import { elapsedMs, type LatencySummary, summarizeLatency } from './latency-stats.js';
import type { WarmPerRead } from './read-latency.js';
import { settle, type TieredFixture } from './tiered-fixture.js';
import { perRound, rotated, type TieredScale } from './tiered-scale.js';

export type AppendCase = 'warm' | 'copy' | 'no-copy';

export const APPEND_CASES: readonly AppendCase[] = ['warm', 'copy', 'no-copy'];

export const APPEND_CASE_LABELS: Readonly<Record<AppendCase, string>> = {
  warm: 'warm alone',
  copy: 'tiered, stream with a hot copy',
  'no-copy': 'tiered, stream without a copy',
};

/**
 * - `back-to-back`: the next append starts as soon as the previous one returned, so the tiered
 *   store's background hot-tier work (the write-through) weighs on it as in an application: the
 *   judged mode, it counts everything an append costs.
 * - `isolated`: that background work is awaited (untimed) before each append: the latency of the
 *   call alone, to show how much of the cost is the call and how much the background.
 */
export type AppendMode = 'back-to-back' | 'isolated';

export const APPEND_MODES: readonly AppendMode[] = ['back-to-back', 'isolated'];

export interface AppendCaseResult {
  backend: string;
  appendCase: AppendCase;
  mode: AppendMode;
  latency: LatencySummary;
  /** Per append, what the warm store was asked besides the append (the write-through's read-back). */
  warm: WarmPerRead;
  /** Share of the appends whose events reached the hot copy; `undefined` for warm alone. */
  writeThroughShare: number | undefined;
}

/** One append case's streams; both modes write to them, continuing each stream's versions. */
interface Lane {
  store: EventStore;
  /** Whether each block starts with every stream promoted to the hot tier. */
  promote: boolean;
  streamIds: string[];
  versions: number[];
  next: number;
}

interface Accumulator {
  samples: number[];
  counts: WarmCounts;
  writeThroughs: number;
}

/**
 * Latency of single-event appends with an exact expected version, round-robin over a few streams
 * per case, in interleaved rounds: each round runs one block of every case and mode, the order
 * rotated each round. The background work left at the end of a block is awaited, untimed.
 */
export async function measureAppends(
  fixture: TieredFixture,
  backend: string,
  scale: TieredScale,
): Promise<AppendCaseResult[]> {
  const lanes = new Map<AppendCase, Lane>();
  for (const appendCase of APPEND_CASES) {
    const store = appendCase === 'warm' ? fixture.warm : fixture.strict;
    const streamIds = Array.from(
      { length: scale.appendStreams },
      (_, k) => `tiered-append-${appendCase}-${k}`,
    );
    for (const streamId of streamIds) await store.append(streamId, [benchEvent(0)], { expectedVersion: 0 });
    lanes.set(appendCase, {
      store,
      promote: appendCase === 'copy',
      streamIds,
      versions: streamIds.map(() => 1),
      next: 1,
    });
  }
  const blocks = APPEND_CASES.flatMap((appendCase) => APPEND_MODES.map((mode) => ({ appendCase, mode })));
  const scratch = newAccumulator();
  for (const { appendCase, mode } of blocks) {
    await appendBlock(fixture, lanes.get(appendCase)!, mode, scale.appendStreams, scratch);
  }
  const acc = new Map(blocks.map((b) => [`${b.appendCase}:${b.mode}`, newAccumulator()]));
  const perBlock = perRound(scale.appends, scale.rounds);
  for (let round = 0; round < scale.rounds; round++) {
    for (const { appendCase, mode } of rotated(blocks, round)) {
      const into = acc.get(`${appendCase}:${mode}`)!;
      await appendBlock(fixture, lanes.get(appendCase)!, mode, perBlock, into);
    }
  }
  return blocks.map(({ appendCase, mode }) => {
    const { samples, counts, writeThroughs } = acc.get(`${appendCase}:${mode}`)!;
    const n = samples.length;
    return {
      backend,
      appendCase,
      mode,
      latency: summarizeLatency(samples),
      warm: {
        reads: counts.reads / n,
        eventRows: counts.eventRows / n,
        versionLookups: counts.versionLookups / n,
      },
      writeThroughShare: appendCase === 'warm' ? undefined : writeThroughs / n,
    };
  });
}

function newAccumulator(): Accumulator {
  return { samples: [], counts: { ...NO_COUNTS }, writeThroughs: 0 };
}

async function appendBlock(
  fixture: TieredFixture,
  lane: Lane,
  mode: AppendMode,
  appends: number,
  into: Accumulator,
): Promise<void> {
  if (lane.promote) {
    // A copy is dropped when an append starts before the previous append's write-through landed:
    // promote them again (untimed) so every block measures appends to streams with a copy.
    for (const streamId of lane.streamIds) await fixture.strict.readStream(streamId);
    await settle(fixture);
  }
  const countsBefore = fixture.warm.snapshot();
  const writeThroughsBefore = fixture.strict.stats().writeThroughs;
  for (let i = 0; i < appends; i++) {
    if (mode === 'isolated') await settle(fixture);
    const s = lane.next++ % lane.streamIds.length;
    const expectedVersion = lane.versions[s]!;
    const start = process.hrtime.bigint();
    await lane.store.append(lane.streamIds[s]!, [benchEvent(lane.next)], { expectedVersion });
    into.samples.push(elapsedMs(start));
    lane.versions[s] = expectedVersion + 1;
  }
  await settle(fixture);
  into.counts = addCounts(into.counts, subtractCounts(fixture.warm.snapshot(), countsBefore));
  into.writeThroughs += fixture.strict.stats().writeThroughs - writeThroughsBefore;
}
