// readStream latency of the store against raw ioredis (LRANGE + JSON.parse of the same list), for
// 10-, 100- and 1,000-event streams. Run: pnpm --filter @strata/store-redis bench
// (STRATA_REDIS_URL, default redis://127.0.0.1:6379; only keys under a random prefix, deleted after).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisEventStore } from '../src/index.js';

const url = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `strata-bench:${randomUUID()}:`;
const SIZES = [10, 100, 1000];
const ITERATIONS: Record<number, number> = { 10: 3000, 100: 1500, 1000: 300 };

type Call = () => Promise<unknown>;

/** Alternates the two calls in rounds, so drift on a shared machine hits both alike. */
async function measurePair(iterations: number, a: Call, b: Call): Promise<[Stats, Stats]> {
  const samples: [number[], number[]] = [[], []];
  const rounds = 5;
  for (let round = 0; round < rounds; round++) {
    for (const [i, call] of [a, b].entries()) {
      for (let w = 0; w < 20; w++) await call();
      for (let n = 0; n < iterations / rounds; n++) {
        const started = process.hrtime.bigint();
        await call();
        samples[i]!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
  }
  return [stats(samples[0]), stats(samples[1])];
}

interface Stats {
  p50: number;
  p99: number;
}

function stats(samples: number[]): Stats {
  samples.sort((x, y) => x - y);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const client = new Redis(url);
const store = new RedisEventStore({ client, keyPrefix });
try {
  const rows: string[] = [];
  for (const size of SIZES) {
    const streamId = `bench-${size}`;
    for (let first = 0; first < size; first += 500) {
      await store.append(
        streamId,
        Array.from({ length: Math.min(500, size - first) }, (_, i) => ({
          type: 'order.line-added',
          data: { n: first + i, sku: `sku-${first + i}`, quantity: 2, price: 9.99, note: 'x'.repeat(40) },
          metadata: { correlationId: randomUUID(), userId: 'user-42' },
        })),
      );
    }
    const key = `${keyPrefix}{${streamId}}:e`;
    const iterations = ITERATIONS[size]!;
    const [raw, viaStore] = await measurePair(
      iterations,
      async () => (await client.lrange(key, 0, -1)).map((e) => JSON.parse(e)),
      () => store.readStream(streamId),
    );
    rows.push(
      `| ${size} | ${raw.p50.toFixed(3)} | ${viaStore.p50.toFixed(3)} | ${(viaStore.p50 / raw.p50).toFixed(2)}x | ${raw.p99.toFixed(3)} | ${viaStore.p99.toFixed(3)} |`,
    );
  }
  console.log(
    '| events | raw LRANGE+JSON.parse p50 ms | readStream p50 ms | ratio | raw p99 ms | readStream p99 ms |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
} finally {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
  await store.close();
  await client.quit();
}
