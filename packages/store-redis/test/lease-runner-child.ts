// A projection runner in a process of its own, for redis-projection-leases.test.ts: it runs the
// projector it is given under a RedisLeaseProvider (a 2 s TTL), applying events of one type into a
// read model hash whose HINCRBY counts applications, reports its state to the parent, and stops
// when told to.
import type { RecordedEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { serveRunnerToParent } from '@strata/vitest-preset/runner-child';
import { Redis } from 'ioredis';
import { RedisEventStore, RedisLeaseProvider } from '../src/index.js';

const [url, keyPrefix, runnerId, name, eventType] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const store = new RedisEventStore({ url, keyPrefix });
const leases = new RedisLeaseProvider({ url, keyPrefix, ttlMs: 2_000 });
const readModel = new Redis(url);

const projector = defineProjector({
  name,
  handlers: {
    [eventType]: async (_data: unknown, event: RecordedEvent) => {
      const position = event.position.toString();
      await readModel
        .multi()
        .hincrby(`${keyPrefix}read-model:${name}`, position, 1)
        .hset(`${keyPrefix}read-model-runner:${name}`, position, runnerId)
        .exec();
      // Slow enough that a kill lands in the middle of a batch.
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
  },
});
const runner = new ProjectionRunner({
  store,
  checkpoints: store.checkpoints,
  projector,
  batchSize: 10,
  // A save after every batch, as the takeover scenario counts at most one batch applied twice.
  checkpointEvery: { events: 1 },
  polling: { minMs: 5, maxMs: 50 },
  lease: leases,
  standbyRetryMs: 100,
});
serveRunnerToParent(runner, async () => {
  await leases.close();
  await store.close();
  readModel.disconnect();
});
