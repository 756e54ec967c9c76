import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { waitUntilAnswering } from './redis-server-process.js';

const run = promisify(execFile);

/**
 * A throwaway Redis Cluster of three masters on loopback ports, its config files in a temp dir,
 * keeping no data: started with `redis-cli --cluster create` and killed by `stop()`.
 */
export class RedisClusterProcess {
  private readonly children = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: readonly number[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<RedisClusterProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'strata-redis-cluster-'));
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // A node also listens on port + 10000 for the cluster bus; keep both free of each other.
      if (!ports.some((p) => Math.abs(p - port) < 2)) ports.push(port);
    }
    const cluster = new RedisClusterProcess(ports, dir);
    try {
      for (const port of ports) await cluster.startNode(port);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await cluster.waitUntilHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Starts (or restarts, with its saved cluster config) the node on `port`. */
  async startNode(port: number): Promise<void> {
    if (this.children.has(port)) return;
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
        join(this.dir, `nodes-${port}.conf`),
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
    this.children.set(port, child);
    child.once('exit', () => {
      if (this.children.get(port) === child) this.children.delete(port);
    });
    await waitUntilAnswering(port);
  }

  async killNode(port: number): Promise<void> {
    const child = this.children.get(port);
    if (child === undefined) return;
    this.children.delete(port);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Waits until every node reports `cluster_state:ok`. */
  async waitUntilHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.ports.map((port) => clusterState(port)));
      if (states.every((state) => state === 'ok')) return;
      if (Date.now() > deadline) throw new Error(`the cluster did not become healthy: ${states.join(', ')}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.keys()].map((port) => this.killNode(port)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function clusterState(port: number): Promise<string> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    const info = await client.cluster('INFO');
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return 'down';
  } finally {
    client.disconnect();
  }
}
