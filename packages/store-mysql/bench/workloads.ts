import { type BenchSubject, benchEvent, benchEvents } from './bench-subject.js';

export interface BenchScale {
  runs: number;
  streams: number;
  singleAppends: number;
  appenders: number;
  batchEvents: number;
  batchSize: number;
  batchStreams: number;
  streamLength: number;
  streamReads: number;
  logEvents: number;
  logStreams: number;
  pageSize: number;
}

/** The workloads at the sizes apps/bench uses for a full run. */
export const FULL: BenchScale = {
  runs: 5,
  streams: 1_000,
  singleAppends: 10_000,
  appenders: 8,
  batchEvents: 50_000,
  batchSize: 100,
  batchStreams: 100,
  streamLength: 1_000,
  streamReads: 300,
  logEvents: 200_000,
  logStreams: 1_000,
  pageSize: 1_000,
};

export const QUICK: BenchScale = {
  ...FULL,
  runs: 3,
  singleAppends: 2_000,
  batchEvents: 10_000,
  streamReads: 50,
  logEvents: 50_000,
};

export interface Workload {
  id: string;
  title: string;
  /** Untimed preparation on fresh tables. */
  seed?(subject: BenchSubject, scale: BenchScale): Promise<void>;
  /**
   * One run, cut into short steps; each step yields the events it processed. The runner times
   * the steps and alternates them between the store and the raw baseline, so both sides see the
   * same machine load (this machine is shared, and its load swings within seconds).
   */
  steps(subject: BenchSubject, scale: BenchScale, run: number): AsyncGenerator<number>;
}

const streamIds = (label: string, count: number) => Array.from({ length: count }, (_, i) => `${label}-${i}`);
const STEP_APPENDS = 20;

/** `appends` appends round-robin over `streams`, each expecting the exact version, in steps. */
async function* appendRoundRobin(
  subject: BenchSubject,
  streams: readonly string[],
  appends: number,
  batchSize: number,
  appenders = 1,
): AsyncGenerator<number> {
  // Each appender owns a disjoint slice of the streams, so every expected version holds.
  const lanes = Array.from({ length: appenders }, (_, k) => streams.filter((_, s) => s % appenders === k));
  const versions = new Map(streams.map((id) => [id, 0]));
  const perAppender = Math.floor(appends / appenders);
  const stepSize = Math.max(1, Math.floor(STEP_APPENDS / batchSize));
  for (let done = 0; done < perAppender; done += stepSize) {
    const count = Math.min(stepSize, perAppender - done);
    await Promise.all(
      lanes.map(async (lane, k) => {
        for (let i = done; i < done + count; i++) {
          const streamId = lane[i % lane.length]!;
          const n = (i * appenders + k) * batchSize;
          const events = batchSize === 1 ? [benchEvent(n)] : benchEvents(n, batchSize);
          const expected = versions.get(streamId)!;
          await subject.append(streamId, events, expected);
          versions.set(streamId, expected + batchSize);
        }
      }),
    );
    yield count * appenders * batchSize;
  }
}

export const WORKLOADS: Workload[] = [
  {
    id: 'W1',
    title: 'single-event appends with expectedVersion, 1,000 streams round-robin',
    steps: (subject, scale, run) =>
      appendRoundRobin(subject, streamIds(`w1-${run}`, scale.streams), scale.singleAppends, 1),
  },
  {
    id: 'W2',
    title: 'same, 8 concurrent appenders (each on its own slice of the streams)',
    steps: (subject, scale, run) =>
      appendRoundRobin(
        subject,
        streamIds(`w2-${run}`, scale.streams),
        scale.singleAppends,
        1,
        scale.appenders,
      ),
  },
  {
    id: 'W3',
    title: '100-event batches',
    steps: (subject, scale, run) =>
      appendRoundRobin(
        subject,
        streamIds(`w3-${run}`, scale.batchStreams),
        Math.floor(scale.batchEvents / scale.batchSize),
        scale.batchSize,
      ),
  },
  {
    id: 'W4',
    title: 'readStream of a 1,000-event stream',
    seed: (subject, scale) => subject.seed(['w4'], scale.streamLength),
    async *steps(subject, scale) {
      for (let r = 0; r < scale.streamReads; r += 5) {
        let total = 0;
        for (let i = 0; i < 5; i++) total += await subject.readStream('w4');
        if (total !== scale.streamLength * 5) throw new Error(`W4 read ${total} events`);
        yield total;
      }
    },
  },
  {
    id: 'W5',
    title: 'readAll in pages of 1,000',
    seed: (subject, scale) =>
      subject.seed(streamIds('w5', scale.logStreams), scale.logEvents / scale.logStreams),
    async *steps(subject, scale) {
      let after = 0n;
      let total = 0;
      for (let more = true; more; ) {
        let step = 0;
        for (let i = 0; i < 10 && more; i++) {
          const page = await subject.readAll(after, scale.pageSize);
          if (page.lastPosition === undefined) more = false;
          else {
            step += page.count;
            after = page.lastPosition;
          }
        }
        total += step;
        yield step;
      }
      if (total !== scale.logEvents) throw new Error(`W5 read ${total} events, expected ${scale.logEvents}`);
    },
  },
];
