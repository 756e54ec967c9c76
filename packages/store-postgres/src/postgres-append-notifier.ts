import {
  type AppendChannelHandlers,
  type AppendListener,
  type AppendNotifier,
  type OpenAppendChannel,
  SharedAppendListener,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { toStoreError } from './postgres-errors.js';
import type { PostgresPoolClient } from './postgres-pool.js';

/** How often the listening connection checks that it is alive: a half-open socket sends no error. */
const HEARTBEAT_MS = 5_000;

/** A pg client's notification, as node-postgres emits it. */
interface PostgresNotification {
  channel: string;
  payload?: string;
}

/** The events of a node-postgres client that listening needs. */
interface ListeningClient extends PostgresPoolClient {
  on(event: 'notification', listener: (message: PostgresNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeAllListeners(event: string): unknown;
}

/**
 * Append notices over PostgreSQL `LISTEN/NOTIFY`: every append of a store over this schema and
 * prefix (in any process) sends one `pg_notify` in its transaction, which the server delivers on
 * commit. One pool connection, checked out for as long as anyone listens, runs `LISTEN`; a lost one
 * is reported and replaced. Get it as `store.appendNotifier`.
 */
export class PostgresAppendNotifier implements AppendNotifier {
  private readonly shared: SharedAppendListener;
  private pid: number | undefined;

  constructor(private readonly connection: PostgresConnection) {
    this.shared = new SharedAppendListener((handlers) => this.listen(handlers));
  }

  subscribe(listener: AppendListener): () => void {
    return this.shared.subscribe(listener);
  }

  /** True while the listening connection is open. */
  get listening(): boolean {
    return this.shared.listening;
  }

  /** The server process of the listening connection (`pg_stat_activity.pid`), while there is one. */
  get backendPid(): number | undefined {
    return this.shared.listening ? this.pid : undefined;
  }

  /** Stops listening and gives the connection back; the store's `close()` calls it. */
  close(): Promise<void> {
    return this.shared.close();
  }

  private async listen(handlers: AppendChannelHandlers): Promise<OpenAppendChannel> {
    const { appendChannel, storageScope } = this.connection.tables;
    this.connection.assertOpen();
    let client: ListeningClient;
    try {
      client = (await this.connection.pool.connect()) as ListeningClient;
    } catch (error) {
      throw toStoreError(error);
    }
    if (typeof client.on !== 'function') {
      client.release();
      throw new TypeError('the pool hands out clients without events: LISTEN needs a pg.Pool');
    }
    const prefix = `${storageScope}:`;
    client.on('notification', (message) => {
      // Only this storage's channel and scope: a hash collision of two channels cannot mislead.
      if (message.channel !== appendChannel || !message.payload?.startsWith(prefix)) return;
      const position = message.payload.slice(prefix.length);
      if (/^\d{1,19}$/.test(position)) handlers.notice(BigInt(position));
    });
    client.on('error', (error) => handlers.lost(toStoreError(error)));
    client.on('end', () => handlers.lost(toStoreError(new Error('the listening connection ended'))));
    let heartbeat: NodeJS.Timeout | undefined;
    try {
      const { rows } = await client.query({ text: 'SELECT pg_backend_pid() AS pid' });
      this.pid = (rows[0] as { pid: number }).pid;
      await client.query({ text: `LISTEN "${appendChannel}"` });
      heartbeat = setInterval(() => {
        client
          .query({ text: 'SELECT 1', query_timeout: HEARTBEAT_MS })
          .catch((error: unknown) => handlers.lost(toStoreError(error)));
      }, HEARTBEAT_MS);
      heartbeat.unref();
    } catch (error) {
      client.removeAllListeners('notification');
      client.release(true);
      throw toStoreError(error);
    }
    return {
      close: async () => {
        clearInterval(heartbeat);
        client.removeAllListeners('notification');
        client.removeAllListeners('end');
        // Never back into the pool: a connection that LISTENs would hand notices to the next user.
        client.release(true);
        // A late 'error' from the destroyed socket must not crash the process.
        client.removeAllListeners('error');
        client.on('error', () => {});
      },
    };
  }
}
