import type { BenchSubject } from '../bench-target.js';
import { benchBatch, benchEvent, benchStreamIds } from './bench-events.js';
import type { Workload } from './workload.js';

const count = (n: number): string => n.toLocaleString('en-US');

export const singleAppends: Workload = {
  id: 'W1',
  title: 'single-event appends, expected version',
  describe: (s) =>
    `${count(s.singleAppends)} appends of 1 event over ${count(s.streams)} streams round-robin`,
  async run(subject, scale) {
    await appendRoundRobin(subject, benchStreamIds('w1', scale.streams), scale.singleAppends, 1);
    return scale.singleAppends;
  },
};

export const concurrentAppends: Workload = {
  id: 'W2',
  title: 'single-event appends, 8 concurrent appenders',
  describe: (s) =>
    `${count(s.singleAppends)} appends of 1 event by ${s.concurrentAppenders} concurrent appenders, ` +
    `each round-robin over its own ${count(s.streams / s.concurrentAppenders)} of ${count(s.streams)} streams`,
  async run(subject, scale) {
    const streamIds = benchStreamIds('w2', scale.streams);
    const perAppender = Math.floor(scale.singleAppends / scale.concurrentAppenders);
    // Each appender owns a disjoint slice of the streams, so every expected version holds and
    // the workload measures throughput under interleaving, not conflict handling.
    await Promise.all(
      Array.from({ length: scale.concurrentAppenders }, (_, k) =>
        appendRoundRobin(
          subject,
          streamIds.filter((_, s) => s % scale.concurrentAppenders === k),
          perAppender,
          1,
        ),
      ),
    );
    return perAppender * scale.concurrentAppenders;
  },
};

export const batchAppends: Workload = {
  id: 'W3',
  title: 'appends of 100-event batches',
  describe: (s) =>
    `${count(s.batchEvents)} events in appends of ${s.batchSize} over ${count(s.batchStreams)} streams round-robin`,
  async run(subject, scale) {
    const appends = Math.floor(scale.batchEvents / scale.batchSize);
    await appendRoundRobin(subject, benchStreamIds('w3', scale.batchStreams), appends, scale.batchSize);
    return appends * scale.batchSize;
  },
};

/** `appends` appends of `batchSize` events, cycling through the streams, each expecting the exact version. */
async function appendRoundRobin(
  subject: BenchSubject,
  streamIds: readonly string[],
  appends: number,
  batchSize: number,
): Promise<void> {
  await appendRoundRobinRange(
    subject,
    streamIds,
    streamIds.map(() => 0),
    0,
    appends,
    batchSize,
  );
}

/**
 * Appends `first` to `last - 1` of such a run: append i goes to stream i mod streams, at the version
 * `versions` holds for it (moved on as it goes), so a run can be taken in pieces
 * (`interleaved-blocks.ts`).
 */
export async function appendRoundRobinRange(
  subject: BenchSubject,
  streamIds: readonly string[],
  versions: number[],
  first: number,
  last: number,
  batchSize: number,
): Promise<void> {
  for (let i = first; i < last; i++) {
    const s = i % streamIds.length;
    const events = batchSize === 1 ? [benchEvent(i)] : benchBatch(i * batchSize, batchSize);
    const expected = versions[s] ?? 0;
    await subject.append(streamIds[s]!, events, expected);
    versions[s] = expected + batchSize;
  }
}
