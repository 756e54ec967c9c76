import { Cluster } from 'ioredis';
import { expect, it } from 'vitest';
import { OwnRedisCluster } from '../src/index.js';

it('spreads keys over three masters; a killed node is down, and comes back empty with its slots', async () => {
  const cluster = await OwnRedisCluster.start();
  try {
    expect(cluster.ports).toHaveLength(3);
    const client = new Cluster(cluster.startupNodes);
    for (let i = 0; i < 30; i++) await client.set(`key-${i}`, 'v');
    client.disconnect();
    const perNode = await cluster.keysPerNode();
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(30);
    expect(perNode.every((n) => n > 0)).toBe(true);

    const port = cluster.ports[0]!;
    await cluster.killNode(port);
    expect((await cluster.keysPerNode())[0]).toBe(-1);
    await cluster.restartNode(port);
    await cluster.waitUntilHealthy();
    expect((await cluster.keysPerNode())[0]).toBe(0);
  } finally {
    await cluster.stop();
  }
}, 60_000);
