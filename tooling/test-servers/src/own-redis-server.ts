import type { ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { killRedisServer, startRedisServer } from './redis-server-child.js';

/**
 * A redis-server this test owns, on a free loopback port, keeping nothing on disk: the test kills,
 * freezes and restarts it without touching the shared server. It always comes back on its port.
 */
export class OwnRedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server again (empty) unless it runs, and resolves once it answers. */
  async restart(): Promise<void> {
    if (this.child !== undefined) return;
    const child = await startRedisServer(this.port);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
  }

  /** Kills the server at once (SIGKILL): connections drop and new ones are refused. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined) await killRedisServer(child);
  }

  /** Freezes the server (SIGSTOP): the kernel still accepts connections, but nothing answers. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }
}
