import { connect, createServer, type Server, type Socket } from 'node:net';
import { portOf } from './free-port.js';

/** The servers' default ports, for URLs that name none. */
const DEFAULT_PORTS: Record<string, number | undefined> = {
  'redis:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
};

/**
 * A TCP proxy on 127.0.0.1 in front of one server, so a test can cut a client off it without
 * touching the server: `cut()` drops every connection through it and refuses new ones,
 * `restore()` lets connections through again, on the same port. `hold()` makes it a slow link
 * instead: what clients send waits in the proxy, in order, until `release()`.
 */
export class TcpProxy {
  readonly host = '127.0.0.1';
  private readonly sockets = new Set<Socket>();
  /** Each connection's client side and the upstream socket it writes to. */
  private readonly links = new Map<Socket, Socket>();
  private refusing = false;
  private holding = false;
  private chunks = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, targetPort, targetHost));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new TcpProxy(server, portOf(server));
    return proxy;
  }

  /**
   * A proxy in front of the server `url` names (`redis:`, `postgres:`/`postgresql:` or `mysql:`;
   * without a port, the scheme's default), to reach through `route(url)`.
   */
  static inFrontOf(url: string): Promise<TcpProxy> {
    const target = new URL(url);
    const port = target.port === '' ? DEFAULT_PORTS[target.protocol] : Number(target.port);
    if (port === undefined) throw new Error(`no default port for ${target.protocol} in ${url}; name one`);
    return TcpProxy.start(port, target.hostname);
  }

  /** `url` with its host and port replaced by the proxy's: the same server, through the proxy. */
  route(url: string): string {
    const routed = new URL(url);
    routed.hostname = this.host;
    routed.port = String(this.port);
    return routed.toString();
  }

  /** Chunks read from clients so far: a pipelined batch arrives in a few, awaited calls in one each. */
  get chunksFromClients(): number {
    return this.chunks;
  }

  // The listener stays open while cut: it accepts and hangs up at once. Closing it instead would
  // refuse at the TCP level, but another process could take the port before `restore()`.
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.refusing = false;
  }

  /**
   * Delays everything clients send from now on, on open and new connections, until `release()`:
   * a link as slow as the test wants, without the test depending on how long anything takes.
   * Answers to what already reached the server still come back.
   */
  hold(): void {
    this.holding = true;
    for (const [client, upstream] of this.links) {
      client.unpipe(upstream);
      client.pause();
    }
  }

  /** Sends what was held, in the order it was sent, and lets traffic through again. */
  release(): void {
    this.holding = false;
    for (const [client, upstream] of this.links) client.pipe(upstream);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number, targetHost: string): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    client.on('data', () => {
      this.chunks++;
    });
    // When one side fails the other is dropped, and when one side closes the other ends once it has
    // written what it was given: the connection lives and dies as a whole, as a direct one would.
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.links.delete(client);
        other.destroySoon();
      });
    }
    this.links.set(client, upstream);
    upstream.pipe(client);
    if (this.holding) client.pause();
    else client.pipe(upstream);
  }
}
