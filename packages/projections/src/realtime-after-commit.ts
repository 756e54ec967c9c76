import {
  type AppendOptions,
  type AppendResult,
  CheckpointConflictError,
  type CheckpointStore,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type TransactionalCheckpoints,
  ValidationError,
} from '@strata/core';
import { commitWithCheckpoint } from './checkpointed-transaction.js';
import type { Projector } from './projector.js';
import { type RealtimeErrorListener, type RealtimeProjection, RealtimeTracker } from './realtime-status.js';
import type { TransactionsFor } from './transactions-for.js';

export interface RealtimeAfterCommitOptions<Tx = void> {
  projector: Projector<Tx>;
  /** Where the projector's checkpoint is kept: shared with its catch-up `ProjectionRunner`. */
  checkpoints: CheckpointStore;
  /**
   * The read model's SQL database (its `store.checkpoints`, the same object as `checkpoints`):
   * each step's handler writes and checkpoint save commit in one transaction (exactly once).
   * Without it, delivery is at least once.
   */
  transactions?: TransactionalCheckpoints<Tx>;
  /** Events read and applied per step when it has some catching up to do. Default 100. */
  batchSize?: number;
  onError?: RealtimeErrorListener;
}

/**
 * The store, with the projector applied right after each append commits and before `append`
 * returns: the realtime mode for stores without a transaction to share (memory, Redis, tiered), or
 * a read model in another database than the events. Appends in this process are applied in log
 * order, one step at a time; each step reads the log from the checkpoint up to the append's last
 * position, so events appended elsewhere are applied too and nothing is ever skipped.
 *
 * When a step fails (a handler, the read model, the storage), the events stay committed and
 * `append` still resolves: the error goes to `onError` and the status, and the projection turns
 * `behind` and stops applying until the checkpoint has passed what failed. That is the job of a
 * `ProjectionRunner` on the same projector and checkpoint, with its retries and dead letters.
 */
export function withRealtimeProjector<S extends EventStore, Tx = void>(
  store: S,
  options: RealtimeAfterCommitOptions<Tx> & TransactionsFor<Tx>,
): { store: S; realtime: RealtimeProjection } {
  const projection = new AfterCommitProjection(store, options);
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (streamId: string, events: NewEvent[], appendOptions?: AppendOptions) => {
        const result = await target.append(streamId, events, appendOptions);
        await projection.afterAppend(events, result);
        return result;
      };
    },
  });
  return { store: wrapped, realtime: projection };
}

class AfterCommitProjection<Tx> implements RealtimeProjection {
  readonly name: string;
  private readonly projector: Projector<Tx>;
  private readonly checkpoints: CheckpointStore;
  private readonly transactions: TransactionalCheckpoints<Tx> | undefined;
  private readonly batchSize: number;
  private readonly types: ReadonlySet<string>;
  private readonly tracker: RealtimeTracker;
  /** Steps run one after the other, so events apply in log order whatever order appends end in. */
  private queue: Promise<void> = Promise.resolve();
  private checkpointLoaded = false;

  constructor(
    private readonly store: EventStore,
    options: RealtimeAfterCommitOptions<Tx>,
  ) {
    this.projector = options.projector;
    this.name = options.projector.name;
    this.checkpoints = options.checkpoints;
    this.transactions = options.transactions;
    if (this.transactions !== undefined && (this.transactions as unknown) !== this.checkpoints) {
      throw new ValidationError(
        'transactions',
        "must be the same store as checkpoints (the read model database's store.checkpoints), so loads and saves meet",
      );
    }
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new ValidationError('batchSize', 'must be an integer from 1 to 10,000');
    }
    this.types = new Set(this.projector.eventTypes);
    this.tracker = new RealtimeTracker(this.name, options.onError);
  }

  status() {
    return this.tracker.status();
  }

  detach(): void {
    this.tracker.state = 'detached';
  }

  /** Never rejects: a failure is reported and leaves the projection behind. */
  afterAppend(events: readonly NewEvent[], result: AppendResult): Promise<void> {
    if (this.tracker.state === 'detached') return Promise.resolve();
    // Appends of other event types only: nothing of theirs to apply now.
    if (!events.some((event) => this.types.has(event.type))) return Promise.resolve();
    const step = this.queue.then(() => this.catchUpTo(result.lastPosition));
    this.queue = step;
    return step;
  }

  private async catchUpTo(upTo: bigint): Promise<void> {
    let failedAt = upTo;
    try {
      // Without a transaction a stale checkpoint would apply events twice before the save finds
      // out, so it is read before each step; in one, a stale one only rolls a step back.
      if (!this.checkpointLoaded || this.tracker.state === 'behind' || this.transactions === undefined) {
        this.tracker.checkpoint = await this.checkpoints.loadCheckpoint(this.name);
        this.checkpointLoaded = true;
      }
      const until = this.tracker.behindUntil;
      if (until !== undefined && (this.tracker.checkpoint ?? 0n) < until) return;
      this.tracker.behindUntil = undefined;
      if (this.tracker.state === 'behind') this.tracker.state = 'live';
      while ((this.tracker.checkpoint ?? 0n) < upTo) {
        const page = await this.store.readAll({
          after: this.tracker.checkpoint ?? 0n,
          limit: this.batchSize,
          types: [...this.projector.eventTypes],
        });
        if (page.length === 0) return;
        const end = page.at(-1)!.position;
        failedAt = end > upTo ? end : upTo;
        const moved = await this.commit(page, end);
        if (!moved) {
          // Another writer (a runner, another process) moved the checkpoint: go on from there.
          this.tracker.checkpoint = await this.checkpoints.loadCheckpoint(this.name);
        } else if (page.length < this.batchSize) {
          return;
        }
      }
    } catch (error) {
      this.tracker.failed(error);
      this.tracker.behind(this.tracker.checkpoint, failedAt);
    }
  }

  /** Applies a page and saves its end; false when a racing save won (in a transaction: nothing applied). */
  private async commit(page: RecordedEvent[], end: bigint): Promise<boolean> {
    const events = page.filter(
      (event) => this.projector.streamTypes === undefined || this.projector.streamTypes.has(event.streamType),
    );
    const expectedPosition = this.tracker.checkpoint ?? null;
    const apply = (tx: Tx) => (events.length === 0 ? undefined : this.projector.apply(events, tx));
    try {
      const transactions = this.transactions;
      if (transactions === undefined) {
        await apply(undefined as Tx);
        await this.checkpoints.saveCheckpoint(this.name, end, { expectedPosition });
      } else {
        await commitWithCheckpoint(transactions, this.name, { end, expectedPosition }, apply);
      }
    } catch (error) {
      if (CheckpointConflictError.isInstance(error)) return false;
      throw error;
    }
    this.tracker.applied(end, events.length);
    return true;
  }
}
