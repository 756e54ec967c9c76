/** How much the tiered suite measures. One place, so the printed description matches what ran. */
export interface TieredScale {
  readonly name: 'full' | 'quick';
  /** Interleaved rounds: each round runs one block of every case, in a rotated order. */
  readonly rounds: number;
  /** Lengths of the streams read. */
  readonly sizes: readonly number[];
  /** Timed reads per case and stream length, split evenly over the rounds. */
  readonly reads: Readonly<Record<number, number>>;
  /** Untimed reads per case before the rounds, so no case pays for JIT or cold statement caches. */
  readonly warmupReads: number;
  /** Timed single-event appends per append case, split evenly over the rounds. */
  readonly appends: number;
  /** Streams each append case writes round-robin. */
  readonly appendStreams: number;
}

/**
 * Sized for about half a minute per warm tier on two cores. Many short rounds rather than a few
 * long ones: a burst of load from another process then hits a slice of every case, not one case.
 */
export const TIERED_FULL_SCALE: TieredScale = {
  name: 'full',
  rounds: 20,
  sizes: [10, 100, 1_000],
  reads: { 10: 1_000, 100: 500, 1000: 300 },
  warmupReads: 20,
  appends: 600,
  appendStreams: 20,
};

export const TIERED_QUICK_SCALE: TieredScale = {
  name: 'quick',
  rounds: 4,
  sizes: [10, 100, 1_000],
  reads: { 10: 150, 100: 90, 1000: 30 },
  warmupReads: 5,
  appends: 90,
  appendStreams: 10,
};

/** Timed operations in one block of one case. */
export function perRound(total: number, rounds: number): number {
  return Math.max(1, Math.floor(total / rounds));
}

/** The order of the cases in round `round`: rotated by one each round, so no case always goes first. */
export function rotated<T>(cases: readonly T[], round: number): T[] {
  const shift = round % cases.length;
  return [...cases.slice(shift), ...cases.slice(0, shift)];
}
