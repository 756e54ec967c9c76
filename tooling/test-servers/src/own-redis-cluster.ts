import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePorts } from './free-port.js';
import { clusterState, keyCount } from './redis-probe.js';
import { killRedisServer, startRedisServer } from './redis-server-child.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of masters only, on free loopback ports, that this test owns: its node files in
 * a temp dir, no data kept, so a node killed and restarted comes back with its slots but empty.
 */
export class OwnRedisCluster {
  private readonly children = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: readonly number[],
    private readonly busPorts: readonly number[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<OwnRedisCluster> {
    // The cluster bus gets its own free port: the default, port + 10000, may be taken or, above
    // 55535, not a port at all (and then redis-server refuses to start).
    const ports = await freePorts(masters * 2);
    const dir = await mkdtemp(join(tmpdir(), 'strata-redis-cluster-'));
    const cluster = new OwnRedisCluster(ports.slice(0, masters), ports.slice(masters), dir);
    try {
      for (const port of cluster.ports) await cluster.restartNode(port);
      await run(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...cluster.ports.map((port) => `127.0.0.1:${port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { timeout: 30_000 },
      );
      await cluster.waitUntilHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The nodes as ioredis's `Cluster` takes them. */
  get startupNodes(): { host: string; port: number }[] {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  /** Starts the node on `port` again (unless it runs), with its saved cluster config. */
  async restartNode(port: number): Promise<void> {
    if (this.children.has(port)) return;
    const index = this.ports.indexOf(port);
    if (index < 0) throw new Error(`port ${port} is no node of this cluster`);
    const child = await startRedisServer(port, [
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(this.busPorts[index]),
      '--cluster-config-file',
      join(this.dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '1000',
      '--dir',
      this.dir,
    ]);
    this.children.set(port, child);
    child.once('exit', () => {
      if (this.children.get(port) === child) this.children.delete(port);
    });
  }

  /** Kills the node on `port` at once (SIGKILL). */
  async killNode(port: number): Promise<void> {
    const child = this.children.get(port);
    this.children.delete(port);
    if (child !== undefined) await killRedisServer(child);
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

  /** How many keys each node holds (in the order of `ports`), -1 for a node that does not answer. */
  async keysPerNode(): Promise<number[]> {
    return Promise.all(this.ports.map((port) => keyCount(port)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.keys()].map((port) => this.killNode(port)));
    await rm(this.dir, { recursive: true, force: true });
  }
}
