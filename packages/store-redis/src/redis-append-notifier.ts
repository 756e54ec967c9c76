import { randomBytes } from 'node:crypto';
import {
  type AppendChannelHandlers,
  type AppendListener,
  type AppendNotifier,
  type OpenAppendChannel,
  SharedAppendListener,
  StoreUnavailableError,
} from '@strata/core';
import type { Cluster, Redis } from 'ioredis';
import { type RedisConnection, STORE_NAME } from './redis-connection.js';

/** How often the subscriber connection checks that it is alive: a half-open socket sends no error. */
const HEARTBEAT_MS = 5_000;

/**
 * Append notices over Redis pub/sub: every append of a store over this key prefix (in any process)
 * publishes its last position on `<prefix>appends` at the end of its script. One subscriber
 * connection, a duplicate of the store's client, listens for as long as anyone subscribes; a lost
 * one is reported and replaced. On a Cluster it is a duplicate `Cluster`: classic pub/sub reaches
 * every node through the cluster bus, and ioredis moves its subscription to another node when
 * that node goes away. Get it as `store.appendNotifier`.
 */
export class RedisAppendNotifier implements AppendNotifier {
  private readonly shared: SharedAppendListener;
  private name: string | undefined;

  constructor(private readonly connection: RedisConnection) {
    this.shared = new SharedAppendListener((handlers) => this.listen(handlers));
  }

  subscribe(listener: AppendListener): () => void {
    return this.shared.subscribe(listener);
  }

  /** True while the subscriber connection is open and subscribed. */
  get listening(): boolean {
    return this.shared.listening;
  }

  /** The subscriber connection's name (`CLIENT LIST`), while there is one. */
  get connectionName(): string | undefined {
    return this.shared.listening ? this.name : undefined;
  }

  /** Stops listening and closes the subscriber connection; the store's `close()` calls it. */
  close(): Promise<void> {
    return this.shared.close();
  }

  private async listen(handlers: AppendChannelHandlers): Promise<OpenAppendChannel> {
    this.connection.assertOpen();
    const channel = this.connection.keys.appendChannel;
    const name = `strata-appends-${randomBytes(6).toString('hex')}`;
    const subscriber = this.duplicate(name);
    const lost = (cause: unknown) => handlers.lost(new StoreUnavailableError(STORE_NAME, cause));
    let lastError: unknown;
    subscriber.on('error', (error: unknown) => {
      lastError = error;
    });
    subscriber.on('end', () => lost(lastError ?? new Error('the subscriber connection ended')));
    subscriber.on('message', (from: string, payload: string) => {
      if (from === channel && /^\d{1,19}$/.test(payload)) handlers.notice(BigInt(payload));
    });
    let heartbeat: NodeJS.Timeout | undefined;
    try {
      await subscriber.connect();
      await subscriber.subscribe(channel);
    } catch (error) {
      subscriber.removeAllListeners('end');
      subscriber.disconnect();
      throw new StoreUnavailableError(STORE_NAME, error);
    }
    this.name = name;
    heartbeat = setInterval(() => {
      subscriber.ping().catch((error: unknown) => lost(error));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    return {
      close: async () => {
        clearInterval(heartbeat);
        subscriber.removeAllListeners('message');
        subscriber.removeAllListeners('end');
        subscriber.disconnect();
      },
    };
  }

  /**
   * A connection of its own with the store client's settings, which never reconnects by itself:
   * the shared listener replaces it, and reports the gap.
   */
  private duplicate(name: string): Redis | Cluster {
    const { client } = this.connection;
    if (client.isCluster) {
      const cluster = client as Cluster;
      return cluster.duplicate(undefined, {
        lazyConnect: true,
        clusterRetryStrategy: () => null,
        redisOptions: { ...cluster.options.redisOptions, connectionName: name },
      });
    }
    return (client as Redis).duplicate({
      lazyConnect: true,
      retryStrategy: () => null,
      connectionName: name,
      // Subscribing is the first command, sent once the connection is ready.
      enableOfflineQueue: true,
    });
  }
}
