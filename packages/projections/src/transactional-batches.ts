import {
  type Awaitable,
  isPromiseLike,
  type RecordedEvent,
  type TransactionalCheckpoints,
} from '@strata/core';
import { commitWithCheckpoint } from './checkpointed-transaction.js';
import type { Projector } from './projector.js';
import { backoffDelay, isTransient, type ResolvedRetry } from './retry-policy.js';

/** What the runner lends the exactly-once mode: its place in the log, its lease, its failure policy. */
export interface BatchHost {
  readonly name: string;
  readonly retry: ResolvedRetry;
  /** The position the next save expects (the runner's checkpoint); `undefined` before the first. */
  checkpoint(): bigint | undefined;
  /** The held lease's fence, passed with every save; `undefined` without a lease. */
  fence(): bigint | undefined;
  /** Throws when the lease went away: nothing more may be committed. */
  assertLeaseHeld(): void;
  /** A transaction committed: the checkpoint is now `position`, after `applied` events. */
  committed(position: bigint, applied: number): void;
  /** Sets a poison event aside (dead letter), or throws to stop the runner. */
  poison(event: RecordedEvent, error: unknown): Promise<void>;
  withTransientRetries<T>(work: () => Promise<T>): Promise<T>;
  report(error: unknown, attempt: number): void;
  sleep(ms: number): Promise<void>;
}

/** A handler's own failure, told apart from a refused checkpoint save or a lost connection. */
class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/**
 * The exactly-once mode of a runner: each part of a page is applied and its checkpoint saved in one
 * transaction of the read model's database, so a crash, a failing handler or a racing runner leaves
 * the read model and the checkpoint together, either both moved or neither. The save keeps its
 * compare-and-set and fence guards inside the transaction: a runner that lost the race rolls its
 * writes back with the refused save.
 */
export class TransactionalBatches<Tx> {
  constructor(
    private readonly host: BatchHost,
    private readonly projector: Projector<Tx>,
    private readonly transactions: TransactionalCheckpoints<Tx>,
  ) {}

  /**
   * Applies `events` (a page's wanted events) and moves the checkpoint to `end` (the page's last
   * position). A failing handler rolls its transaction back; after `retry.maxAttempts` tries the
   * events are split in halves, each committed in a fresh transaction with its own checkpoint,
   * until the event that fails alone is set aside as poison and the checkpoint moves past it.
   * Throws `CheckpointConflictError` when another runner moved the checkpoint: nothing of that
   * part was written.
   */
  async apply(events: RecordedEvent[], end: bigint): Promise<void> {
    const error = await this.tryCommit(events, end);
    if (error === undefined) return;
    if (events.length > 1) {
      const middle = Math.ceil(events.length / 2);
      const first = events.slice(0, middle);
      await this.apply(first, first.at(-1)!.position);
      await this.apply(events.slice(middle), end);
      return;
    }
    await this.host.poison(events[0]!, error);
    // Set aside in the dead-letter store: the checkpoint moves past it, with nothing applied.
    await this.host.withTransientRetries(() => this.commit([], end));
  }

  /** Applies events in a transaction of their own, without a checkpoint: retried dead letters. */
  applyAlone(events: readonly RecordedEvent[]): Promise<void> {
    return this.transactions.runInTransaction((tx) => this.projector.apply(events, tx));
  }

  /** Up to `maxAttempts` tries; transient failures retry on their own budget. Returns the last error. */
  private async tryCommit(events: RecordedEvent[], end: bigint): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.host.retry.maxAttempts; attempt++) {
      try {
        await this.host.withTransientRetries(() => this.commit(events, end));
        return undefined;
      } catch (error) {
        if (!(error instanceof HandlerFailed)) throw error;
        lastError = error.error;
        this.host.report(lastError, attempt);
        if (attempt < this.host.retry.maxAttempts) {
          await this.host.sleep(backoffDelay(attempt, this.host.retry));
        }
      }
    }
    return lastError;
  }

  private async commit(events: readonly RecordedEvent[], end: bigint): Promise<void> {
    this.host.assertLeaseHeld();
    const fence = this.host.fence();
    await commitWithCheckpoint(
      this.transactions,
      this.host.name,
      { end, expectedPosition: this.host.checkpoint() ?? null, ...(fence === undefined ? {} : { fence }) },
      (tx) => this.applyTagged(events, tx),
    );
    this.host.committed(end, events.length);
  }

  /**
   * The projector's writes, synchronous while its handlers are. A transient failure (a deadlock,
   * a lost connection) passes as is, so the whole transaction is retried on the transient budget.
   */
  private applyTagged(events: readonly RecordedEvent[], tx: Tx): Awaitable<void> {
    if (events.length === 0) return;
    let result: Awaitable<void>;
    try {
      result = this.projector.apply(events, tx);
    } catch (error) {
      throw tagged(error);
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).catch((error: unknown) => {
        throw tagged(error);
      });
    }
  }
}

function tagged(error: unknown): unknown {
  return isTransient(error) ? error : new HandlerFailed(error);
}
