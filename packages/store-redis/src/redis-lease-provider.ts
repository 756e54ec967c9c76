import { randomUUID } from 'node:crypto';
import { assertName, HeldLease, type Lease, type LeaseProvider, ValidationError } from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** KEYS: the lease, its fence counter; ARGV: token, TTL ms. The new fence, or nil when held. */
const acquireScript = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
`);

/** KEYS: the lease; ARGV: token, TTL ms. 1 if this holder still had it and its TTL was renewed. */
const renewScript = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/** KEYS: the lease; ARGV: token. Deletes it only if this holder still has it. */
const releaseScript = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

export const DEFAULT_LEASE_TTL_MS = 10_000;

export interface RedisLeaseOptions {
  /**
   * How long a lease lives without renewal: a killed holder's lease is free after at most this
   * long. Renewed every third of it. Default 10,000 ms; at least 300.
   */
  ttlMs?: number;
}

/**
 * Leases as `SET key token NX PX ttl`, renewed by a heartbeat (a compare-and-extend script) every
 * third of the TTL and released by compare-and-delete; the fence is an `INCR` counter beside the key,
 * bumped by the same script that takes it. A lease counts as lost when a renewal fails or finds
 * another token, or once its TTL has passed since the last renewal the server confirmed. The event
 * store's own is `store.leases` and shares its connection.
 */
export class RedisLeaseProvider implements LeaseProvider {
  /** A killed holder stops renewing: its key expires within one TTL. */
  readonly takeoverBoundMs: number;
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;
  private readonly ttlMs: number;
  private readonly held = new Set<HeldLease>();

  /** Standalone (with its own connection from `url`, or your `client`); or the store's `store.leases`. */
  constructor(options: RedisStoreOptions & RedisLeaseOptions, /** @internal */ shared?: RedisConnection) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!Number.isSafeInteger(this.ttlMs) || this.ttlMs < 300) {
      throw new ValidationError('options.ttlMs', 'must be an integer >= 300');
    }
    this.takeoverBoundMs = this.ttlMs;
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async acquire(name: string): Promise<Lease | undefined> {
    assertName(name, 'name');
    const keys = [this.connection.keys.lease(name), this.connection.keys.leaseFence(name)];
    const token = randomUUID();
    const sentAt = Date.now();
    const fence = await this.connection.run((client) => acquireScript.run(client, keys, [token, this.ttlMs]));
    if (fence === null || fence === undefined) return undefined;
    const lease: HeldLease = new HeldLease(name, BigInt(fence as number | string), () =>
      this.free(lease, keys[0]!, token, heartbeat),
    );
    const heartbeat = this.startHeartbeat(lease, keys[0]!, token, sentAt + this.ttlMs);
    this.held.add(lease);
    return lease;
  }

  /** Releases every lease this provider holds, then closes a connection it opened. */
  async close(): Promise<void> {
    await Promise.all([...this.held].map((lease) => lease.release()));
    if (this.ownsConnection) await this.connection.close();
  }

  private startHeartbeat(
    lease: HeldLease,
    key: string,
    token: string,
    firstValidUntil: number,
  ): NodeJS.Timeout {
    // Measured from when each renewal was sent, so a slow answer never stretches the lease.
    let validUntil = firstValidUntil;
    let renewing = false;
    const timer = setInterval(
      () => {
        if (!lease.held) return;
        if (Date.now() >= validUntil) {
          lease.markLost(new Error(`the lease was not renewed within its ${this.ttlMs} ms TTL`));
          void lease.release();
          return;
        }
        if (renewing) return;
        renewing = true;
        const sentAt = Date.now();
        this.connection
          .run((client) => renewScript.run(client, [key], [token, this.ttlMs]))
          .then((renewed) => {
            if (Number(renewed) === 1) validUntil = sentAt + this.ttlMs;
            else lease.markLost(new Error('the lease expired and was taken or freed before its renewal'));
          })
          .catch((error: unknown) => lease.markLost(error))
          .finally(() => {
            renewing = false;
            if (!lease.held) void lease.release();
          });
      },
      Math.max(50, Math.floor(this.ttlMs / 3)),
    );
    timer.unref();
    return timer;
  }

  private async free(lease: HeldLease, key: string, token: string, heartbeat: NodeJS.Timeout): Promise<void> {
    clearInterval(heartbeat);
    this.held.delete(lease);
    await this.connection.run((client) => releaseScript.run(client, [key], [token]));
  }
}
