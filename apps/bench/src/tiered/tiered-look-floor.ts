import type { NewEvent } from '@strata/core';
import { Redis } from 'ioredis';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';

/**
 * Issue 12's floor for tiered appends: the warm store alone plus the one hot-tier call a
 * write-through cannot do without, and nothing else. After each append but a stream's first (no
 * copy can exist before it), whether the stream has a hot copy must be asked of Redis: a copy that
 * another process made would otherwise go stale. The floor asks as cheaply as it can be asked:
 * one `EXISTS` of every stream whose append came back in the same turn, in the background, with
 * no copy to extend (none exists in W1-W3: nothing reads). The tiered store's appends sit below
 * the warm store alone by at least this floor's distance; its ratio to the floor is what its own
 * write-through adds. Reads are the warm store's.
 */
export class TieredLookFloor implements BenchSubject {
  /** What was asked of Redis so far: `EXISTS` calls, and streams looked at. */
  readonly sent = { calls: 0, streams: 0 };
  private waiting: string[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    private readonly warm: BenchSubject,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Opens its own Redis connection (connected before returning); looks at keys under `keyPrefix`. */
  static async open(warm: BenchSubject, url: string, keyPrefix: string): Promise<TieredLookFloor> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => {});
    await redis.connect();
    return new TieredLookFloor(warm, redis, keyPrefix);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
    await this.warm.append(streamId, events, expectedVersion);
    if (expectedVersion > 0) this.look(streamId);
  }

  readStream(streamId: string): Promise<number> {
    return this.warm.readStream(streamId);
  }

  readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    return this.warm.readAll(after, limit);
  }

  /** Waits for the looks still in flight (as the tiered store's close waits for its write-throughs). */
  async close(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    await this.warm.close();
    // Nothing to delete: EXISTS writes nothing.
    await this.redis.quit();
  }

  private look(streamId: string): void {
    if (this.waiting.length === 0) {
      const turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send());
      this.track(turn);
    }
    this.waiting.push(`${this.keyPrefix}${streamId}`);
  }

  private async send(): Promise<void> {
    const keys = this.waiting;
    this.waiting = [];
    this.sent.calls++;
    this.sent.streams += keys.length;
    // Only the call's cost matters: there are no copies, so nothing would follow its answer.
    await this.redis.exists(...keys).catch(() => undefined);
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
