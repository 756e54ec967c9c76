import { Redis } from 'ioredis';

/**
 * Runs `use` on a one-shot client to the Redis on a loopback `port`. It never retries nor waits
 * long, so a server that is down or frozen fails the probe instead of hanging the test.
 */
async function probe<T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    connectTimeout: 500,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

export async function answersPing(port: number): Promise<boolean> {
  return probe(port, async (client) => (await client.ping()) === 'PONG').catch(() => false);
}

/** The node's `cluster_state` (`ok`, `fail`), or `down` when it does not answer. */
export async function clusterState(port: number): Promise<string> {
  return probe(port, async (client) => {
    const info = (await client.call('CLUSTER', 'INFO')) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  }).catch(() => 'down');
}

/** How many keys the server holds, or -1 when it does not answer. */
export async function keyCount(port: number): Promise<number> {
  return probe(port, (client) => client.dbsize()).catch(() => -1);
}
