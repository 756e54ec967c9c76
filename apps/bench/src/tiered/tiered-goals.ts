import type { AppendCase, AppendCaseResult } from './append-latency.js';
import type { ReadCase, ReadCaseResult } from './read-latency.js';

/** Issue 4's targets for the tiered store. */
export const TIERED_GOALS = {
  /** Stream length at which a bounded hot hit must beat warm alone by `hitSpeedup` at p50. */
  hitSpeedupSize: 10,
  hitSpeedup: 3,
  /** Stream length at which a hit must never be slower than warm alone (p50 and p99). */
  neverSlowerSize: 1_000,
  /** Most warm rows a strict hit may take: one indexed row (the stream's version), no events. */
  strictHitVersionLookups: 1,
  /** Most a tiered append may add to warm alone's p50 latency. */
  appendOverhead: 0.15,
  /** Most the p99 of a read during a Redis outage may exceed warm alone's ("within a few milliseconds"). */
  outageP99ExtraMs: 3,
} as const;

export interface TieredGoalResult {
  backend: string;
  goal: string;
  measured: string;
  pass: boolean;
}

/** What is judged for one warm tier; the hit speed-up is stated against MySQL warm only. */
export interface TieredGoalSubject {
  name: string;
  label: string;
  judgeHitSpeedup: boolean;
}

const ms = (n: number) => `${n.toFixed(3)} ms`;

/** Judges every goal whose measurements are present (a `--quick` run measures them all too). */
export function judgeTieredGoals(
  subjects: readonly TieredGoalSubject[],
  reads: readonly ReadCaseResult[],
  appends: readonly AppendCaseResult[],
): TieredGoalResult[] {
  const judged: TieredGoalResult[] = [];
  for (const subject of subjects) {
    const read = (size: number, readCase: ReadCase) =>
      reads.find((r) => r.backend === subject.name && r.size === size && r.readCase === readCase);
    const push = (goal: string, measured: string, pass: boolean) =>
      judged.push({ backend: subject.label, goal, measured, pass });

    const small = TIERED_GOALS.hitSpeedupSize;
    const smallWarm = read(small, 'warm');
    const smallHit = read(small, 'bounded');
    if (subject.judgeHitSpeedup && smallWarm !== undefined && smallHit !== undefined) {
      const speedup = smallWarm.latency.p50 / smallHit.latency.p50;
      push(
        `${small} events: bounded hit p50 at least ${TIERED_GOALS.hitSpeedup}x lower than warm alone`,
        `${ms(smallWarm.latency.p50)} / ${ms(smallHit.latency.p50)} = ${speedup.toFixed(2)}x`,
        speedup >= TIERED_GOALS.hitSpeedup,
      );
    }

    const large = TIERED_GOALS.neverSlowerSize;
    const largeWarm = read(large, 'warm');
    for (const readCase of ['strict', 'bounded'] as const) {
      const hit = read(large, readCase);
      if (largeWarm === undefined || hit === undefined) continue;
      const { p50, p99 } = hit.latency;
      push(
        `${large.toLocaleString('en-US')} events: ${readCase} hit never slower than warm alone (p50, p99)`,
        `p50 ${ms(p50)} vs ${ms(largeWarm.latency.p50)}, p99 ${ms(p99)} vs ${ms(largeWarm.latency.p99)}`,
        p50 <= largeWarm.latency.p50 && p99 <= largeWarm.latency.p99,
      );
    }

    for (const hit of reads.filter((r) => r.backend === subject.name && r.readCase === 'strict')) {
      const { eventRows, versionLookups } = hit.warm;
      push(
        `${hit.size} events: a strict hit reads at most one indexed row from warm, not the stream`,
        `per read: ${eventRows.toFixed(2)} event rows, ${versionLookups.toFixed(2)} version lookups; ` +
          `${formatShare(hit.hitShare)} hits`,
        eventRows === 0 && versionLookups <= TIERED_GOALS.strictHitVersionLookups,
      );
    }

    for (const down of reads.filter((r) => r.backend === subject.name && r.readCase === 'down')) {
      const warm = read(down.size, 'warm');
      if (warm === undefined) continue;
      const extra = down.latency.p99 - warm.latency.p99;
      push(
        `${down.size.toLocaleString('en-US')} events: with Redis down, read p99 within ` +
          `${TIERED_GOALS.outageP99ExtraMs} ms of warm alone`,
        `p99 ${ms(down.latency.p99)} vs ${ms(warm.latency.p99)} (${extra >= 0 ? '+' : ''}${extra.toFixed(3)} ms), ` +
          `p50 ${ms(down.latency.p50)} vs ${ms(warm.latency.p50)}`,
        extra <= TIERED_GOALS.outageP99ExtraMs,
      );
    }

    // Judged back to back: an append's cost includes the write-through it leaves in the background.
    const append = (appendCase: AppendCase) =>
      appends.find(
        (a) => a.backend === subject.name && a.appendCase === appendCase && a.mode === 'back-to-back',
      );
    const warmAppend = append('warm');
    for (const appendCase of ['copy', 'no-copy'] as const) {
      const tiered = append(appendCase);
      if (warmAppend === undefined || tiered === undefined) continue;
      const overhead = tiered.latency.p50 / warmAppend.latency.p50 - 1;
      push(
        `tiered append (${appendCase === 'copy' ? 'with' : 'without'} a hot copy) at most ` +
          `${Math.round(TIERED_GOALS.appendOverhead * 100)}% slower than warm alone at p50, back to back`,
        `${ms(tiered.latency.p50)} vs ${ms(warmAppend.latency.p50)} = ${formatOverhead(overhead)}`,
        overhead <= TIERED_GOALS.appendOverhead,
      );
    }
  }
  return judged;
}

export function formatShare(share: number | undefined): string {
  return share === undefined ? '-' : `${Math.round(share * 100)}%`;
}

export function formatOverhead(overhead: number): string {
  return `${overhead >= 0 ? '+' : ''}${(overhead * 100).toFixed(1)}%`;
}

export function formatTieredGoal(result: TieredGoalResult): string {
  return `${result.backend}: ${result.goal}: ${result.measured}  ${result.pass ? 'pass' : 'MISS'}`;
}
