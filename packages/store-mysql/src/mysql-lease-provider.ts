import { assertName, HeldLease, type Lease, type LeaseProvider } from '@strata/core';
import type { MysqlConnection } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import type { MysqlStoreContext } from './mysql-store-context.js';

/** How often a held lease checks that its connection is alive. */
const HEARTBEAT_MS = 1_000;
/** A heartbeat that gets no answer in this long counts as a lost connection. */
const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * The server-wide lock name of a lease: GET_LOCK names are shared by every database on the server
 * and limited to 64 characters, so the database, the table prefix and the lease name are hashed.
 */
const LOCK_NAME = "CONCAT('strata_lease_', SHA1(CONCAT_WS(CHAR(0), DATABASE(), ?, ?)))";

/** A lease held on one MySQL/MariaDB connection. */
export class MysqlLease extends HeldLease {
  constructor(
    name: string,
    fence: bigint,
    /** The server's id of the connection that holds the lock (what `KILL` takes). */
    readonly connectionId: number,
    giveUp: () => Promise<void>,
  ) {
    super(name, fence, giveUp);
  }
}

/**
 * Leases as `GET_LOCK` locks, each on a pool connection held for the lease's life: the server frees
 * the lock when that connection ends, so a killed holder's lease is free as soon as the server sees
 * its socket close. The fence is a counter row bumped under the lock. Get it as `store.leases`;
 * each held lease keeps one connection of the store's pool checked out, so size the pool for it.
 */
export class MysqlLeaseProvider implements LeaseProvider {
  /**
   * For a killed process, whose socket the operating system closes: the server frees the lock at
   * once. A holder host that vanishes without closing its socket is noticed only through the
   * server's `wait_timeout` or TCP keepalive, which this bound does not cover.
   */
  readonly takeoverBoundMs = 5_000;
  private readonly held = new Set<MysqlLease>();

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {}

  async acquire(name: string): Promise<Lease | undefined> {
    assertName(name, 'name');
    await this.context.ready();
    const { tables } = this.context;
    let connection: MysqlConnection;
    try {
      connection = await this.context.db.getConnection();
    } catch (error) {
      throw toStoreError(error);
    }
    try {
      const [locked] = await connection.query(
        { sql: `SELECT GET_LOCK(${LOCK_NAME}, 0), CONNECTION_ID()`, rowsAsArray: true },
        [tables.prefix, name],
      );
      const [gotLock, connectionId] = (locked as [[number | null, number]])[0];
      if (gotLock !== 1) {
        connection.release();
        return undefined;
      }
      await connection.execute(
        {
          sql: `INSERT INTO ${tables.leaseFences} (name, fence) VALUES (?, 1) ON DUPLICATE KEY UPDATE fence = fence + 1`,
        },
        [name],
      );
      const [rows] = await connection.execute(
        { sql: `SELECT CAST(fence AS CHAR) FROM ${tables.leaseFences} WHERE name = ?`, rowsAsArray: true },
        [name],
      );
      const fence = BigInt((rows as [[string]])[0][0]);
      const lease: MysqlLease = new MysqlLease(name, fence, Number(connectionId), () =>
        this.free(lease, connection, name, heartbeat),
      );
      const heartbeat = this.startHeartbeat(connection, lease);
      this.held.add(lease);
      return lease;
    } catch (error) {
      // The lock (if taken) goes with the connection.
      connection.destroy();
      throw toStoreError(error);
    }
  }

  /** Releases every lease this provider holds; the store's `close()` calls it first. */
  async close(): Promise<void> {
    await Promise.all([...this.held].map((lease) => lease.release()));
  }

  /** A killed connection says nothing until it is used: a query every second finds out. */
  private startHeartbeat(connection: MysqlConnection, lease: MysqlLease): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (!lease.held) return;
      connection.query({ sql: 'SELECT 1', timeout: HEARTBEAT_TIMEOUT_MS }).catch((error: unknown) => {
        lease.markLost(error);
        void lease.release();
      });
    }, HEARTBEAT_MS);
    timer.unref();
    return timer;
  }

  private async free(
    lease: MysqlLease,
    connection: MysqlConnection,
    name: string,
    heartbeat: NodeJS.Timeout,
  ): Promise<void> {
    clearInterval(heartbeat);
    this.held.delete(lease);
    try {
      await connection.query({ sql: `DO RELEASE_LOCK(${LOCK_NAME})` }, [this.context.tables.prefix, name]);
      connection.release();
    } catch {
      // Closing the connection frees the lock as well.
      connection.destroy();
    }
  }
}
