import type { LoadCaseResult } from './load-latency.js';

/** Issue 9's target for snapshots. */
export const SNAPSHOT_GOALS = {
  /** Stream length at which a load from a snapshot must beat a full replay by `speedup` at p50. */
  speedupSize: 10_000,
  speedup: 20,
} as const;

export interface SnapshotGoalResult {
  target: string;
  goal: string;
  measured: string;
  pass: boolean;
}

export interface SnapshotGoalSubject {
  name: string;
  label: string;
}

const ms = (n: number) => `${n.toFixed(3)} ms`;

/** Replay p50 over snapshot p50: how many times faster the load from a snapshot is. */
export function loadSpeedup(replay: LoadCaseResult, snapshot: LoadCaseResult): number {
  return replay.latency.p50 / snapshot.latency.p50;
}

/** Judges the speed-up at 10,000 events on every target that measured it. */
export function judgeSnapshotGoals(
  subjects: readonly SnapshotGoalSubject[],
  loads: readonly LoadCaseResult[],
): SnapshotGoalResult[] {
  const judged: SnapshotGoalResult[] = [];
  const size = SNAPSHOT_GOALS.speedupSize;
  for (const subject of subjects) {
    const load = (loadCase: LoadCaseResult['loadCase']) =>
      loads.find((l) => l.target === subject.name && l.size === size && l.loadCase === loadCase);
    const replay = load('replay');
    const snapshot = load('snapshot');
    if (replay === undefined || snapshot === undefined) continue;
    const speedup = loadSpeedup(replay, snapshot);
    judged.push({
      target: subject.label,
      goal: `${size.toLocaleString('en-US')} events: load from a snapshot at least ${SNAPSHOT_GOALS.speedup}x faster than without, at p50`,
      measured: `${ms(replay.latency.p50)} / ${ms(snapshot.latency.p50)} = ${speedup.toFixed(1)}x`,
      pass: speedup >= SNAPSHOT_GOALS.speedup,
    });
  }
  return judged;
}

export function formatSnapshotGoal(result: SnapshotGoalResult): string {
  return `${result.target}: ${result.goal}: ${result.measured}  ${result.pass ? 'PASS' : 'MISS'}`;
}
