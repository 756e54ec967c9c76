import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { until } from './poll.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** A three-master Redis Cluster on loopback ports this test owns, keeping nothing on disk but its node files. */
export class OwnRedisCluster {
  private readonly nodes = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedisCluster> {
    const ports = [await freePort(), await freePort(), await freePort()];
    const cluster = new OwnRedisCluster(ports, mkdtempSync(join(tmpdir(), 'strata-cluster-')));
    for (const port of ports) cluster.startNode(port);
    for (const port of ports) await until(`node ${port} answers`, () => answers(port));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await until(`node ${port} sees the cluster ok`, async () => (await clusterState(port)) === 'ok');
    }
    return cluster;
  }

  /** Kills one node at once (SIGKILL). */
  async kill(port: number): Promise<void> {
    const node = this.nodes.get(port);
    if (node === undefined) return;
    this.nodes.delete(port);
    await new Promise<void>((resolve) => {
      node.once('exit', () => resolve());
      node.kill('SIGKILL');
    });
  }

  /** How many keys each node holds. */
  async keysPerNode(): Promise<number[]> {
    const counts: number[] = [];
    for (const port of this.ports) {
      const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
      client.on('error', () => {});
      try {
        await client.connect();
        counts.push(await client.dbsize());
      } catch {
        counts.push(-1);
      } finally {
        client.disconnect();
      }
    }
    return counts;
  }

  async stop(): Promise<void> {
    for (const port of [...this.nodes.keys()]) await this.kill(port);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private startNode(port: number): void {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.nodes.set(port, child);
  }
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function clusterState(port: number): Promise<string | undefined> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = (await client.call('cluster', ['info'])) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1];
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
