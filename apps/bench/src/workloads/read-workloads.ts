import { benchStreamIds } from './bench-events.js';
import type { Workload } from './workload.js';

const count = (n: number): string => n.toLocaleString('en-US');
const W4_STREAM = 'w4-stream';

export const streamReads: Workload = {
  id: 'W4',
  title: 'readStream of a 1,000-event stream',
  describe: (s) => `${s.streamReads} reads of one ${count(s.streamLength)}-event stream`,
  seed: (s) => ({ streamIds: [W4_STREAM], eventsPerStream: s.streamLength }),
  async run(subject, scale) {
    let total = 0;
    for (let r = 0; r < scale.streamReads; r++) {
      const read = await subject.readStream(W4_STREAM);
      if (read !== scale.streamLength)
        throw new Error(`W4 read ${read} events, expected ${scale.streamLength}`);
      total += read;
    }
    return total;
  },
};

export const logReads: Workload = {
  id: 'W5',
  title: 'readAll in pages of 1,000',
  describe: (s) =>
    `readAll over ${count(s.logEvents)} preloaded events (${count(s.logStreams)} streams), pages of ${count(s.pageSize)}`,
  seed: (s) => ({
    streamIds: benchStreamIds('w5', s.logStreams),
    eventsPerStream: Math.floor(s.logEvents / s.logStreams),
  }),
  async run(subject, scale) {
    const expected = Math.floor(scale.logEvents / scale.logStreams) * scale.logStreams;
    let total = 0;
    let after = 0n;
    for (;;) {
      const page = await subject.readAll(after, scale.pageSize);
      if (page.lastPosition === undefined) break;
      total += page.count;
      after = page.lastPosition;
    }
    if (total !== expected) throw new Error(`W5 read ${total} events, expected ${expected}`);
    return total;
  },
};
