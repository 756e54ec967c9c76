import { assertName, HeldLease, type Lease, type LeaseProvider } from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { toStoreError } from './postgres-errors.js';
import type { PostgresPoolClient } from './postgres-pool.js';

/** How often a held lease checks that its connection is alive. */
const HEARTBEAT_MS = 1_000;
/** A heartbeat that gets no answer in this long counts as a lost connection. */
const HEARTBEAT_TIMEOUT_MS = 5_000;

/** A lease held on one PostgreSQL connection. */
export class PostgresLease extends HeldLease {
  constructor(
    name: string,
    fence: bigint,
    /** The server process of the connection that holds the lock (`pg_stat_activity.pid`). */
    readonly backendPid: number,
    giveUp: () => Promise<void>,
  ) {
    super(name, fence, giveUp);
  }
}

/**
 * Leases as PostgreSQL session advisory locks (`pg_try_advisory_lock`), each on a pool connection
 * held for the lease's life: the server frees the lock when that connection ends, so a killed
 * holder's lease is free as soon as the server sees its socket close. The fence is a counter row
 * bumped under the lock. Get it as `store.leases`; each held lease keeps one connection of the
 * store's pool checked out, so size the pool for it.
 */
export class PostgresLeaseProvider implements LeaseProvider {
  /**
   * For a killed process, whose socket the operating system closes: the server frees the lock at
   * once. A holder host that vanishes without closing its socket is noticed only through the
   * server's `tcp_keepalives_*` settings, which this bound does not cover.
   */
  readonly takeoverBoundMs = 5_000;
  private readonly held = new Set<HeldLease>();
  private readonly bumpFence: string;

  constructor(private readonly connection: PostgresConnection) {
    this.bumpFence = `INSERT INTO ${connection.tables.leaseFences} (name, fence) VALUES ($1, 1)
      ON CONFLICT (name) DO UPDATE SET fence = ${connection.tables.leaseFences}.fence + 1
      RETURNING fence::text`;
  }

  async acquire(name: string): Promise<Lease | undefined> {
    assertName(name, 'name');
    this.connection.assertOpen();
    let client: PostgresPoolClient;
    try {
      client = await this.connection.pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
    let lease: HeldLease | undefined;
    // Until a lease exists an error just reaches the query in flight; afterwards it means the lock is gone.
    const onError = (error: Error) => {
      lease?.markLost(error);
      void lease?.release();
    };
    client.on?.('error', onError);
    const key = this.connection.tables.leaseLockKey(name).toString();
    try {
      const locked = await client.query({
        text: 'SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid',
        values: [key],
      });
      const row = locked.rows[0] as { locked: boolean; pid: number };
      if (row.locked !== true) {
        client.removeListener?.('error', onError);
        client.release();
        return undefined;
      }
      const bumped = await client.query({ text: this.bumpFence, values: [name] });
      const fence = BigInt((bumped.rows[0] as { fence: string }).fence);
      lease = new PostgresLease(name, fence, row.pid, () =>
        this.free(lease!, client, key, onError, heartbeat),
      );
      const heartbeat = this.startHeartbeat(client, lease);
      this.held.add(lease);
      return lease;
    } catch (error) {
      client.removeListener?.('error', onError);
      // The lock (if taken) goes with the connection.
      client.release(true);
      throw toStoreError(error);
    }
  }

  /** Releases every lease this provider holds; the store's `close()` calls it first. */
  async close(): Promise<void> {
    await Promise.all([...this.held].map((lease) => lease.release()));
  }

  /** A connection can die without an 'error' event (a half-open socket): a query finds out. */
  private startHeartbeat(client: PostgresPoolClient, lease: HeldLease): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (!lease.held) return;
      client.query({ text: 'SELECT 1', query_timeout: HEARTBEAT_TIMEOUT_MS }).catch((error: unknown) => {
        lease.markLost(error);
        // Losing it must also free the connection and the lock with it.
        void lease.release();
      });
    }, HEARTBEAT_MS);
    timer.unref();
    return timer;
  }

  private async free(
    lease: HeldLease,
    client: PostgresPoolClient,
    key: string,
    onError: (error: Error) => void,
    heartbeat: NodeJS.Timeout,
  ): Promise<void> {
    clearInterval(heartbeat);
    this.held.delete(lease);
    try {
      await client.query({ text: 'SELECT pg_advisory_unlock($1::bigint)', values: [key] });
      client.removeListener?.('error', onError);
      client.release();
    } catch (error) {
      client.removeListener?.('error', onError);
      // Closing the connection frees the lock as well.
      client.release(error instanceof Error ? error : true);
    }
  }
}
