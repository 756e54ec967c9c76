/** How much the wrappers suite measures. One place, so the printed description matches what ran. */
export interface WrapperScale {
  readonly name: 'full' | 'quick';
  /** Interleaved rounds: each round runs one block of every case, in an order that changes each round. */
  readonly rounds: number;
  /** Single-event appends per case and round, round-robin over `appendStreams` streams of the case. */
  readonly appendsPerRound: number;
  readonly appendStreams: number;
  /** Timed `readStream` calls per case and round, by stream length. */
  readonly streamReadsPerRound: Readonly<Record<StreamLength, number>>;
  /** Seeded streams per case and length, read round-robin. */
  readonly streamsPerLength: Readonly<Record<StreamLength, number>>;
  /** Timed `readAll` pages of `pageSize` per case and round, over the case's own part of the log. */
  readonly pagesPerRound: number;
  readonly pageSize: number;
}

export const STREAM_LENGTHS = [10, 100] as const;
export type StreamLength = (typeof STREAM_LENGTHS)[number];

/**
 * About a minute per target on two cores. Many short rounds: a burst of load from another
 * process hits a slice of every case rather than all of one.
 */
export const WRAPPER_FULL_SCALE: WrapperScale = {
  name: 'full',
  rounds: 20,
  appendsPerRound: 50,
  appendStreams: 50,
  streamReadsPerRound: { 10: 60, 100: 20 },
  streamsPerLength: { 10: 20, 100: 50 },
  pagesPerRound: 5,
  pageSize: 1_000,
};

export const WRAPPER_QUICK_SCALE: WrapperScale = {
  name: 'quick',
  rounds: 4,
  appendsPerRound: 10,
  appendStreams: 10,
  streamReadsPerRound: { 10: 10, 100: 4 },
  streamsPerLength: { 10: 5, 100: 10 },
  pagesPerRound: 1,
  pageSize: 1_000,
};
