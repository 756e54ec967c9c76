/** How big each workload is. One place, so the printed description always matches what ran. */
export interface BenchScale {
  readonly name: 'full' | 'quick' | 'warmup';
  /** Measured runs per workload and side; the median is reported. */
  readonly runs: number;
  /** W1/W2: streams written round-robin. */
  readonly streams: number;
  /** W1/W2: single-event appends per run. */
  readonly singleAppends: number;
  /** W2: appenders sharing the process, each owning its own slice of the streams. */
  readonly concurrentAppenders: number;
  /** W3: events per run, written `batchSize` at a time. */
  readonly batchEvents: number;
  readonly batchSize: number;
  readonly batchStreams: number;
  /** W4: length of the stream read, and how many times it is read per run. */
  readonly streamLength: number;
  readonly streamReads: number;
  /** W5: events preloaded and read back with `readAll`, `pageSize` at a time. */
  readonly logEvents: number;
  readonly logStreams: number;
  readonly pageSize: number;
}

const SHAPE = {
  streams: 1_000,
  concurrentAppenders: 8,
  batchSize: 100,
  batchStreams: 100,
  streamLength: 1_000,
  logStreams: 1_000,
  pageSize: 1_000,
} as const;

/**
 * Sized to keep a full `pnpm bench` (memory + SQLite at NORMAL and FULL, adapter and raw, 5 runs
 * each) under about five minutes on two cores: appends are per-run counts, not time-boxed, so a
 * slow disk lengthens a run rather than shortening the sample.
 */
export const FULL_SCALE: BenchScale = {
  name: 'full',
  runs: 5,
  ...SHAPE,
  singleAppends: 10_000,
  batchEvents: 50_000,
  streamReads: 300,
  logEvents: 200_000,
};

export const QUICK_SCALE: BenchScale = {
  name: 'quick',
  runs: 3,
  ...SHAPE,
  singleAppends: 2_000,
  batchEvents: 10_000,
  streamReads: 50,
  logEvents: 50_000,
};

/** One untimed pass per side before the measured runs, so neither side pays for JIT warm-up. */
export const WARMUP_SCALE: BenchScale = {
  name: 'warmup',
  runs: 1,
  ...SHAPE,
  singleAppends: 500,
  batchEvents: 2_000,
  streamReads: 5,
  logEvents: 10_000,
};
