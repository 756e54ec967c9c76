/** Why a lease stopped being held. */
export interface LeaseEnd {
  /** `true` after `release()`; `false` when the lease was lost (connection gone, renewal failed). */
  released: boolean;
  /** What made it lost, when known. */
  cause?: unknown;
}

/** One acquisition of a named lease: held until it is released or lost, never again after that. */
export interface Lease {
  readonly name: string;
  /**
   * The fencing token of this acquisition: higher than every earlier acquisition's for this name.
   * Pass it with every guarded write (`saveCheckpoint(..., { fence })`) so a stale holder is refused.
   */
  readonly fence: bigint;
  /** `true` until the lease is released or lost. */
  readonly held: boolean;
  /** Resolves once, when the lease stops being held; never rejects. */
  readonly ended: Promise<LeaseEnd>;
  /** Gives the lease up, so the next `acquire` may take it. Idempotent; never throws once lost. */
  release(): Promise<void>;
}

/**
 * Named leases across processes: the way to keep one active runner per projector.
 *
 * Rules every provider keeps (the conformance kit's `describeLeaseProvider` checks them):
 * - At most one holder per name at a time, across every provider over the same engine.
 * - Each acquisition's `fence` is higher than every earlier one's for that name.
 * - A holder that dies (process killed, connection lost) loses the lease, and another `acquire`
 *   can take it, within `takeoverBoundMs`. A holder whose provider learns of the loss sees
 *   `held` turn false and `ended` resolve.
 * - `release()` is idempotent.
 */
export interface LeaseProvider {
  /**
   * How long after a holder dies another acquirer can get the lease at most, in milliseconds, given
   * that the engine itself is reachable (for a TTL lease, its TTL plus one renewal interval).
   */
  readonly takeoverBoundMs: number;
  /** Takes the lease if nobody holds it; `undefined` when someone does. Never waits for it. */
  acquire(name: string): Promise<Lease | undefined>;
  /** Releases every lease this provider holds and frees its connections. */
  close(): Promise<void>;
}
