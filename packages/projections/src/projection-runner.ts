import {
  type AppendNotifier,
  CheckpointConflictError,
  CheckpointFencedError,
  type CheckpointStore,
  type DeadLetter,
  type DeadLetterStore,
  deadLetterErrorOf,
  type EventStore,
  type Lease,
  LeaseHeldError,
  type LeaseProvider,
  type RecordedEvent,
  type TransactionalCheckpoints,
  ValidationError,
} from '@strata/core';
import { CheckpointCadence, type CheckpointEvery } from './checkpoint-cadence.js';
import { findLogSpan } from './log-head.js';
import { PagePrefetch } from './page-prefetch.js';
import { PoisonEventError } from './poison-event-error.js';
import {
  type ProjectionLag,
  type ProjectionState,
  type ProjectionStatus,
  ThroughputMeter,
} from './projection-status.js';
import type { Projector } from './projector.js';
import {
  checkRebuildOptions,
  type RebuildOptions,
  type RebuildProgress,
  RebuildRun,
} from './rebuild-progress.js';
import {
  backoffDelay,
  isTransient,
  type ResolvedRetry,
  type RetryOptions,
  resolveRetry,
} from './retry-policy.js';
import { TransactionalBatches } from './transactional-batches.js';
import type { TransactionsFor } from './transactions-for.js';
import { WakeSignal } from './wake-signal.js';

/** `Tx` is the projector's transaction handle; `void` for a projector that writes elsewhere. */
export interface ProjectionRunnerOptions<Tx = void> {
  /** The log to follow. */
  store: EventStore;
  /** Where the projector's position is kept; saves are compare-and-set, so two runners never both advance it. */
  checkpoints: CheckpointStore;
  projector: Projector<Tx>;
  /**
   * Exactly-once mode: the read model's database (any SQL adapter's `store.checkpoints`, the same
   * object as `checkpoints`). Each batch's handler writes (through the `tx` they get) and its
   * checkpoint save commit in one transaction, so nothing is applied twice or lost, whatever
   * crashes or races. Without it, delivery is at least once.
   */
  transactions?: TransactionalCheckpoints<Tx>;
  /** Events read and applied per step; `handleBatch` receives up to this many. Default 100. */
  batchSize?: number;
  /**
   * At-least-once mode: how often the checkpoint is saved while the runner catches up (a full page
   * came back, more to read). Default `{ milliseconds: 1_000 }`: a crash then applies at most about
   * a second's work again, and a replay pays one checkpoint commit a second instead of one a batch.
   * At the log's head (a page that is not full) it saves after every batch, and it always saves what
   * it applied on `stop()`, before a rebuild resolves and before a failed run gives up. Not for
   * `transactions`: there every batch's checkpoint commits with its writes.
   */
  checkpointEvery?: CheckpointEvery;
  retry?: RetryOptions;
  /**
   * Where poison events go (any adapter's `store.deadLetters`). Without it, the runner stops at the
   * first one instead of skipping it.
   */
  deadLetters?: DeadLetterStore;
  /** `'skip'` (default): dead-letter the poison event and go on. `'stop'`: dead-letter it and stop. */
  onPoison?: 'skip' | 'stop';
  /** Idle polling: the delay starts at `minMs` after an empty read and doubles up to `maxMs`. */
  polling?: { minMs?: number; maxMs?: number };
  /** Called with every error the runner meets, retried or not; for logs and metrics. */
  onError?: (error: unknown, context: { projector: string; retry: number }) => void;
  /**
   * One active runner per projector across processes: the runner follows the log only while it
   * holds the lease named after the projector (any adapter's `store.leases`), and passes the
   * lease's fence with every checkpoint save. Without it, nothing keeps two runners apart but the
   * checkpoint's compare-and-set.
   */
  lease?: LeaseProvider;
  /** How often a standby runner tries to acquire the lease, in milliseconds. Default 1,000. */
  standbyRetryMs?: number;
  /**
   * Wakes the runner whenever an append is announced, in this process or another
   * (`store.appendNotifier` on PostgreSQL and Redis): it subscribes while it runs. A lost notifier
   * connection goes to `onError`, and polling goes on.
   */
  wakeOn?: AppendNotifier;
}

/** Thrown inside a step when the lease went away mid-batch: the step stops without saving. */
class LeaseLost extends Error {}

/** The outcome of one step: what it read, and whether the log may hold more right away. */
interface StepResult {
  read: number;
  more: boolean;
}

/**
 * Follows the global log from a projector's checkpoint and applies events in position order: the
 * async mode of the seed, and the batched one when the projector has `handleBatch`.
 *
 * Delivery is at least once: a crash after the read model was written and before the checkpoint
 * save applies those events again on restart, so handlers must be idempotent (the README shows
 * how) unless the read model and the checkpoint commit together: give it `transactions` for that.
 */
export class ProjectionRunner<Tx = void> {
  private readonly store: EventStore;
  private readonly checkpoints: CheckpointStore;
  private readonly projector: Projector<Tx>;
  /** The exactly-once mode, when the runner was given `transactions`. */
  private readonly transactional: TransactionalBatches<Tx> | undefined;
  /** When the at-least-once mode saves while catching up. */
  private readonly cadence: CheckpointCadence;
  private readonly batchSize: number;
  private readonly retry: ResolvedRetry;
  private readonly deadLetters: DeadLetterStore | undefined;
  private readonly onPoison: 'skip' | 'stop';
  private readonly minPollMs: number;
  private readonly maxPollMs: number;
  private readonly onError: ProjectionRunnerOptions['onError'];
  private readonly leases: LeaseProvider | undefined;
  private readonly standbyRetryMs: number;
  private readonly wakeOn: AppendNotifier | undefined;
  private stopWaking: (() => void) | undefined;
  /** The rebuild asked for or under way, if any. */
  private rebuildRun: RebuildRun | undefined;
  /** The lease this runner holds now, if any. */
  private lease: Lease | undefined;
  private readonly signal = new WakeSignal();
  private readonly meter = new ThroughputMeter();
  private state: ProjectionState = 'stopped';
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** The position this runner last loaded or saved: the expected position of its next save. */
  private checkpoint: bigint | undefined;
  /**
   * The position the read model has been brought to, where the next read starts: ahead of
   * `checkpoint` while the at-least-once mode has batches applied but not yet saved.
   */
  private applied: bigint | undefined;
  /** Past `applied`: the log up to here holds no more events of the projector's types (see `rememberScanned`). */
  private scanned: bigint | undefined;
  private checkpointLoaded = false;
  private readonly pages: PagePrefetch;
  private eventsProcessed = 0;
  private deadLettered = 0;
  private lastError: unknown;

  constructor(options: ProjectionRunnerOptions<Tx> & TransactionsFor<Tx>) {
    this.store = options.store;
    this.checkpoints = options.checkpoints;
    this.projector = options.projector;
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new ValidationError('batchSize', 'must be an integer from 1 to 10,000');
    }
    const types = [...this.projector.eventTypes];
    this.pages = new PagePrefetch((after) => this.store.readAll({ after, limit: this.batchSize, types }));
    this.retry = resolveRetry(options.retry);
    this.deadLetters = options.deadLetters;
    this.onPoison = options.onPoison ?? 'skip';
    this.minPollMs = options.polling?.minMs ?? 10;
    this.maxPollMs = options.polling?.maxMs ?? 1_000;
    if (!(this.minPollMs > 0) || !(this.maxPollMs >= this.minPollMs)) {
      throw new ValidationError('polling', 'needs 0 < minMs <= maxMs');
    }
    this.onError = options.onError;
    this.leases = options.lease;
    this.standbyRetryMs = options.standbyRetryMs ?? 1_000;
    if (!(this.standbyRetryMs > 0)) throw new ValidationError('standbyRetryMs', 'must be above 0');
    this.wakeOn = options.wakeOn;
    if (this.wakeOn !== undefined && typeof this.wakeOn.subscribe !== 'function') {
      throw new ValidationError('wakeOn', 'must be an AppendNotifier, such as store.appendNotifier');
    }
    this.transactional = this.exactlyOnce(options.transactions);
    if (this.transactional !== undefined && options.checkpointEvery !== undefined) {
      throw new ValidationError(
        'checkpointEvery',
        'applies to at-least-once runners only: with transactions every batch commits with its checkpoint; leave it out',
      );
    }
    this.cadence = new CheckpointCadence(options.checkpointEvery);
  }

  private exactlyOnce(
    transactions: TransactionalCheckpoints<Tx> | undefined,
  ): TransactionalBatches<Tx> | undefined {
    if (transactions === undefined) return undefined;
    if ((transactions as unknown) !== this.checkpoints) {
      throw new ValidationError(
        'transactions',
        "must be the same store as checkpoints (the read model database's store.checkpoints), so loads and saves meet",
      );
    }
    return new TransactionalBatches<Tx>(
      {
        name: this.projector.name,
        retry: this.retry,
        checkpoint: () => this.checkpoint,
        fence: () => this.lease?.fence,
        assertLeaseHeld: () => this.assertLeaseHeld(),
        committed: (position, applied) => {
          this.moveTo(position);
          this.eventsProcessed += applied;
          this.meter.record(applied);
        },
        poison: (event, error) => this.poison(event, error),
        withTransientRetries: (work) => this.withTransientRetries(work),
        report: (error, attempt) => this.report(error, attempt),
        sleep: (ms) => this.signal.sleep(ms),
      },
      this.projector,
      transactions,
    );
  }

  /** Starts following the log in the background; a no-op while running. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.state = this.leases === undefined ? 'running' : 'standby';
    this.lastError = undefined;
    // Another runner may have moved the checkpoint while this one was stopped or failed.
    this.checkpointLoaded = false;
    this.stopWaking = this.wakeOn?.subscribe({
      onAppend: () => this.signal.wake(),
      onError: (error) => this.report(error, 0),
    });
    this.loop = this.follow().finally(() => {
      this.loop = undefined;
      this.stopWaking?.();
      this.stopWaking = undefined;
      this.endRebuild(new ValidationError('runner', 'stopped before the rebuild was done'));
    });
  }

  /** Finishes the batch in hand, saves its checkpoint, releases the lease (if any) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.wake();
    await this.loop;
    if (this.state === 'running' || this.state === 'standby') this.state = 'stopped';
  }

  /** Wakes an idle runner at once: call it after appending in this process (see `wakeOnAppend`). */
  wake(): void {
    this.signal.wake();
  }

  /**
   * Applies everything up to the log's current end, then returns how many events it read. For
   * scripts and tests; throws what would make a running runner fail.
   */
  async catchUp(): Promise<number> {
    if (this.loop !== undefined) throw new ValidationError('runner', 'is running; stop it before catchUp()');
    this.checkpointLoaded = false;
    if (this.leases !== undefined && !(await this.takeLease())) {
      throw new LeaseHeldError(this.projector.name);
    }
    try {
      const run = this.rebuildRun;
      if (run !== undefined) await this.withTransientRetries(() => this.beginRebuild(run));
      let total = 0;
      for (;;) {
        const result = await this.withTransientRetries(() => this.step());
        total += result.read;
        this.trackRebuild(result);
        if (!result.more) return total;
      }
    } catch (error) {
      await this.saveBeforeLeaving(error);
      throw error;
    } finally {
      this.pages.clear();
      await this.dropLease();
    }
  }

  /**
   * Rebuilds the read model from the start of the log: moves the checkpoint back to 0 (guarded by
   * the lease's fence when there is one, else compare-and-set), calls `reset` to empty the read
   * model, then replays the log, reporting progress to `onProgress` and in `status()` (state
   * `rebuilding`). Resolves once the replay has caught up with the log's head; appends and other
   * projectors go on meanwhile. A running runner rebuilds in its own loop (and goes on following
   * the log after); a stopped one rebuilds and stops, like `catchUp()`. A `reset` that throws is
   * taken as not done: the checkpoint is put back, and the rebuild fails with its error (a
   * transient one is retried, reset included).
   */
  async rebuild(options: RebuildOptions): Promise<RebuildProgress> {
    checkRebuildOptions(options);
    if (this.rebuildRun !== undefined) throw new ValidationError('runner', 'is rebuilding already');
    const run = new RebuildRun(options);
    this.rebuildRun = run;
    if (this.loop !== undefined) {
      this.signal.wake();
      return run.finished;
    }
    try {
      await this.catchUp();
    } catch (error) {
      this.endRebuild(error);
    }
    return run.finished;
  }

  status(): ProjectionStatus {
    const rebuilding =
      this.rebuildRun?.started === true && (this.state === 'running' || this.state === 'stopped');
    return {
      name: this.projector.name,
      state: rebuilding ? 'rebuilding' : this.state,
      rebuild: this.rebuildRun?.progress,
      checkpoint: this.checkpoint,
      applied: this.applied,
      eventsProcessed: this.eventsProcessed,
      deadLettered: this.deadLettered,
      eventsPerSecond: this.meter.perSecond(),
      lastError: this.lastError,
      leaseFence: this.lease?.held ? this.lease.fence : undefined,
    };
  }

  /**
   * How far behind the log's head the projector is: reads up to `countLimit` events after what it
   * applied (its saved checkpoint, unless this runner has applied more since).
   */
  async lag(countLimit = 10_000): Promise<ProjectionLag> {
    const from = this.hasUnsaved()
      ? this.applied!
      : ((await this.checkpoints.loadCheckpoint(this.projector.name)) ?? 0n);
    // What this runner scanned past that position holds none of its types: counting starts after it.
    const after = from === (this.applied ?? 0n) ? this.readAfter() : from;
    const types = [...this.projector.eventTypes];
    let events = 0;
    let oldest: RecordedEvent | undefined;
    let cursor = after;
    while (events <= countLimit) {
      const page = await this.store.readAll({
        after: cursor,
        limit: Math.min(1_000, countLimit + 1 - events),
        types,
      });
      const wanted = page.filter((event) => this.wanted(event));
      oldest ??= wanted[0];
      events += wanted.length;
      if (page.length === 0) break;
      cursor = page.at(-1)!.position;
    }
    return {
      events: Math.min(events, countLimit),
      atLeast: events > countLimit,
      seconds: oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000),
    };
  }

  private async follow(): Promise<void> {
    try {
      await this.followWhileHeld();
      // A graceful stop: what was applied is saved before the lease goes.
      await this.saveBeforeLeaving();
    } finally {
      this.pages.clear();
      await this.dropLease();
    }
  }

  private async followWhileHeld(): Promise<void> {
    let idleMs = this.minPollMs;
    while (!this.stopping) {
      if (this.leases !== undefined && !this.lease?.held) {
        this.lease = undefined;
        this.state = 'standby';
        if (!(await this.takeLease())) {
          await this.signal.sleep(this.standbyRetryMs);
          continue;
        }
        this.state = 'running';
        idleMs = this.minPollMs;
      }
      let result: StepResult;
      try {
        const run = this.rebuildRun;
        if (run?.started === false) await this.withTransientRetries(() => this.beginRebuild(run));
        result = await this.withTransientRetries(() => this.step());
      } catch (error) {
        this.endRebuild(error);
        // Stopping cuts a transient retry short: that is a clean stop, not a failure.
        if (this.stopping) return this.saveBeforeLeaving(error);
        if (this.lease !== undefined && this.lostLeaseBy(error)) {
          // A newer holder runs the projector: give the lease up and wait as a standby.
          this.report(error, 0);
          this.forgetUnsaved();
          await this.dropLease();
          continue;
        }
        await this.saveBeforeLeaving(error);
        this.state = 'failed';
        this.lastError = error;
        return;
      }
      this.trackRebuild(result);
      if (result.more) {
        idleMs = this.minPollMs;
        continue;
      }
      await this.signal.sleep(idleMs);
      idleMs = Math.min(this.maxPollMs, idleMs * 2);
    }
  }

  /**
   * Tries to acquire the lease; on success, claims the checkpoint with the lease's fence (a save of
   * the position it already has), so a stale holder's later save is refused rather than moving it.
   */
  private async takeLease(): Promise<boolean> {
    let lease: Lease | undefined;
    try {
      lease = await this.leases!.acquire(this.projector.name);
    } catch (error) {
      this.report(error, 0);
      return false;
    }
    if (lease === undefined) return false;
    this.lease = lease;
    // A loss wakes an idle runner, so it stops at once rather than after its poll delay.
    void lease.ended.then(() => this.signal.wake());
    try {
      await this.withTransientRetries(() => this.claimCheckpoint(lease));
    } catch (error) {
      this.report(error, 0);
      await this.dropLease();
      return false;
    }
    return true;
  }

  private async claimCheckpoint(lease: Lease): Promise<void> {
    const name = this.projector.name;
    for (;;) {
      const current = await this.checkpoints.loadCheckpointState(name);
      const position = current?.position ?? 0n;
      try {
        await this.checkpoints.saveCheckpoint(name, position, {
          expectedPosition: current?.position ?? null,
          fence: lease.fence,
        });
        this.pages.clear();
        this.moveTo(position);
        this.checkpointLoaded = true;
        return;
      } catch (error) {
        // The previous holder saved in between: claim from where it got to.
        if (!CheckpointConflictError.isInstance(error)) throw error;
      }
    }
  }

  private lostLeaseBy(error: unknown): boolean {
    return error instanceof LeaseLost || CheckpointFencedError.isInstance(error) || !this.lease?.held;
  }

  private async dropLease(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  /**
   * Moves the checkpoint back to 0 and empties the read model. Checkpoint first: a crash between
   * the two replays onto the old read model (which idempotent handlers absorb) rather than leaving
   * an emptied read model behind a checkpoint that skips its history. A reset that fails puts the
   * saved checkpoint back, not what was applied after it: those events apply again, which is
   * at-least-once, whereas a partly emptied read model behind a later position would lose them.
   */
  private async beginRebuild(run: RebuildRun): Promise<void> {
    const name = this.projector.name;
    if (!this.checkpointLoaded) {
      this.moveTo(await this.checkpoints.loadCheckpoint(name));
      this.checkpointLoaded = true;
    }
    const previous = this.checkpoint;
    const fence = this.lease === undefined ? {} : { fence: this.lease.fence };
    await this.checkpoints.saveCheckpoint(name, 0n, { expectedPosition: previous ?? null, ...fence });
    this.moveTo(0n);
    this.pages.clear();
    try {
      await run.options.reset();
    } catch (error) {
      await this.checkpoints
        .saveCheckpoint(name, previous ?? 0n, { expectedPosition: 0n, ...fence })
        .then(() => this.moveTo(previous ?? 0n))
        .catch((restoreError: unknown) => this.report(restoreError, 0));
      throw error;
    }
    run.begin(this.eventsProcessed, await findLogSpan(this.store));
  }

  /** After a step of a rebuild's replay: reports progress, and ends the rebuild at the log's head. */
  private trackRebuild(result: StepResult): void {
    const run = this.rebuildRun;
    if (run?.started !== true) return;
    const progress = run.advance(this.eventsProcessed, this.applied ?? 0n, !result.more);
    if (result.more) return;
    this.rebuildRun = undefined;
    run.succeed(progress);
  }

  /** Fails the rebuild under way, if any, with `error`. */
  private endRebuild(error: unknown): void {
    const run = this.rebuildRun;
    this.rebuildRun = undefined;
    run?.fail(error);
  }

  /**
   * Reads one batch after what was applied, applies it, and saves the checkpoint when the cadence
   * says so (at-least-once mode) or with the batch's writes (exactly-once mode).
   */
  private async step(): Promise<StepResult> {
    const name = this.projector.name;
    if (!this.checkpointLoaded) {
      this.pages.clear();
      this.moveTo(await this.checkpoints.loadCheckpoint(name));
      this.checkpointLoaded = true;
    }
    const startedAt = Date.now();
    const after = this.readAfter();
    // Read before the page: a short page holds every event of the types up to it.
    const head = this.pages.holds(after) ? undefined : await this.store.lastPosition?.();
    const page = head !== undefined && head <= after ? [] : await this.pages.next(after);
    const end = this.coveredUpTo(after, page, head);
    if (page.length === 0) {
      // The head, after a log that ended on a full page: what the last pages applied is saved now.
      if (end > after) this.scanned = end;
      await this.saveApplied();
      return { read: 0, more: false };
    }
    // A full page (or more: a wrapper may split events): more may follow, read it while this one is applied.
    if (page.length >= this.batchSize) this.pages.readAhead(page.at(-1)!.position);
    const events = page.filter((event) => this.wanted(event));
    if (this.transactional !== undefined) {
      const result = await this.stepInTransactions(this.transactional, page, events);
      this.rememberScanned(end);
      return result;
    }
    if (this.projector.batched) {
      if (events.length > 0) await this.applyIsolatingPoison(events);
    } else {
      // One event at a time: a retry never applies an event that already succeeded again.
      for (const event of events) {
        this.assertLeaseHeld();
        await this.applyIsolatingPoison([event]);
      }
    }
    this.assertLeaseHeld();
    this.applied = page.at(-1)!.position;
    this.rememberScanned(end);
    this.eventsProcessed += events.length;
    this.meter.record(events.length);
    // A wrapper may return more than asked for (an upcaster's split parts): only a short page is the end.
    const more = page.length >= this.batchSize;
    const due = this.cadence.applied(page.length, startedAt);
    if (!more || due) await this.saveApplied();
    return { read: page.length, more };
  }

  /**
   * Where the next page starts: after what was applied, or after the events of other types that
   * a short page showed lie beyond it. A type-filtered read on a store without a type index scans
   * those again on every poll otherwise.
   */
  private readAfter(): bigint {
    const applied = this.applied ?? 0n;
    return this.scanned !== undefined && this.scanned > applied ? this.scanned : applied;
  }

  /**
   * Remembers that the log up to `end` holds no more events of the projector's types. In memory
   * only: the checkpoint stays at the last event of its types applied, the position a realtime
   * projector of the same name claims from (so a restart scans the rest once more).
   */
  private rememberScanned(end: bigint): void {
    this.scanned = this.applied !== undefined && end > this.applied ? end : undefined;
  }

  /**
   * How far the page read after `after` accounts for the log. A full page: to its last event. A
   * short one read after `head` was seen: to `head`, since every event of the types up to there
   * had committed and was read (later commits land above it). A short one with no head (a page read
   * ahead, a store without `lastPosition`): to its last event, as before.
   */
  private coveredUpTo(after: bigint, page: readonly RecordedEvent[], head: bigint | undefined): bigint {
    const last = page.at(-1)?.position ?? after;
    if (head === undefined || page.length >= this.batchSize) return last;
    return head > last ? head : last;
  }

  /**
   * Saves the position applied, if it is ahead of the checkpoint. Compare-and-set: a second runner
   * that moved the checkpoint meanwhile makes this one stop; the fence refuses the save once a
   * newer lease holder has claimed the checkpoint.
   */
  private async saveApplied(): Promise<void> {
    if (!this.hasUnsaved()) return;
    this.assertLeaseHeld();
    const position = this.applied!;
    await this.checkpoints.saveCheckpoint(this.projector.name, position, {
      expectedPosition: this.checkpoint ?? null,
      ...(this.lease === undefined ? {} : { fence: this.lease.fence }),
    });
    this.checkpoint = position;
    this.cadence.reset();
  }

  /**
   * When a run ends (a stop, a failure): saves what was applied, unless `error` says the
   * checkpoint is no longer this runner's to move (another runner's save, a newer lease holder).
   * A save that fails is reported and given up: those events apply again on the next run.
   */
  private async saveBeforeLeaving(error?: unknown): Promise<void> {
    if (!this.hasUnsaved()) return;
    const notOurs =
      error !== undefined &&
      (CheckpointConflictError.isInstance(error) ||
        CheckpointFencedError.isInstance(error) ||
        error instanceof LeaseLost);
    if (notOurs || (this.leases !== undefined && !this.lease?.held)) {
      this.forgetUnsaved();
      return;
    }
    try {
      await this.withTransientRetries(() => this.saveApplied());
    } catch (saveError) {
      this.report(saveError, 0);
      this.forgetUnsaved();
    }
  }

  /** Drops what was applied but not saved: the next run (or lease holder) applies it again. */
  private forgetUnsaved(): void {
    this.pages.clear();
    this.applied = this.checkpoint;
    this.scanned = undefined;
    this.cadence.reset();
    this.checkpointLoaded = false;
  }

  private hasUnsaved(): boolean {
    return this.applied !== this.checkpoint;
  }

  /** The checkpoint was loaded, claimed or committed at `position`, and the read model is there. */
  private moveTo(position: bigint | undefined): void {
    this.checkpoint = position;
    this.applied = position;
    this.scanned = undefined;
    this.cadence.reset();
  }

  /**
   * The exactly-once step. Another runner (or a realtime projection) that moved the checkpoint
   * meanwhile made this transaction roll back: nothing was applied twice, so reload and go on.
   */
  private async stepInTransactions(
    batches: TransactionalBatches<Tx>,
    page: RecordedEvent[],
    events: RecordedEvent[],
  ): Promise<StepResult> {
    try {
      await batches.apply(events, page.at(-1)!.position);
    } catch (error) {
      if (!CheckpointConflictError.isInstance(error)) throw error;
      this.report(error, 0);
      this.checkpointLoaded = false;
      return { read: page.length, more: true };
    }
    // A wrapper may return more than asked for (an upcaster's split parts): only a short page is the end.
    return { read: page.length, more: page.length >= this.batchSize };
  }

  /** A runner that lost its lease stops before the next event, and never saves. */
  private assertLeaseHeld(): void {
    if (this.lease !== undefined && !this.lease.held) throw new LeaseLost();
  }

  private wanted(event: RecordedEvent): boolean {
    return this.projector.streamTypes === undefined || this.projector.streamTypes.has(event.streamType);
  }

  /**
   * Applies the events; when they keep failing, narrows down by halves to the one that fails
   * alone and hands it to the dead-letter store. Events before it are applied, events after it too.
   */
  private async applyIsolatingPoison(events: RecordedEvent[]): Promise<void> {
    const error = await this.tryApply(events);
    if (error === undefined) return;
    if (events.length > 1) {
      const middle = Math.ceil(events.length / 2);
      await this.applyIsolatingPoison(events.slice(0, middle));
      await this.applyIsolatingPoison(events.slice(middle));
      return;
    }
    await this.poison(events[0]!, error);
  }

  /** Up to `maxAttempts` tries; transient failures retry on their own budget. Returns the last error. */
  private async tryApply(events: RecordedEvent[]): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      try {
        await this.withTransientRetries(() => this.applyOutsideSteps(events));
        return undefined;
      } catch (error) {
        if (isTransient(error)) throw error;
        lastError = error;
        this.report(error, attempt);
        if (attempt < this.retry.maxAttempts) await this.signal.sleep(backoffDelay(attempt, this.retry));
      }
    }
    return lastError;
  }

  /** Without a checkpoint move: in a transaction of its own in exactly-once mode (dead-letter retries). */
  private async applyOutsideSteps(events: RecordedEvent[]): Promise<void> {
    if (this.transactional !== undefined) return this.transactional.applyAlone(events);
    await this.projector.apply(events, undefined as Tx);
  }

  private async poison(event: RecordedEvent, error: unknown): Promise<void> {
    if (this.deadLetters === undefined) {
      throw new PoisonEventError(this.projector.name, event, error);
    }
    await this.withTransientRetries(() =>
      this.deadLetters!.addDeadLetter(this.letterOf(event, error, this.retry.maxAttempts)),
    );
    this.deadLettered++;
    if (this.onPoison === 'stop') throw new PoisonEventError(this.projector.name, event, error);
  }

  /**
   * Applies each of the projector's dead letters again (after its handler was fixed): a letter
   * whose event now applies is removed, one that still fails stays with its new error and one more
   * attempt. The events apply out of log order, after events that came later: handlers that
   * depend on order must allow for it. Runs beside a running runner; one pass, a page at a time.
   */
  async retryDeadLetters(): Promise<{ fixed: number; stillFailing: number }> {
    const deadLetters = this.requireDeadLetters();
    const name = this.projector.name;
    let fixed = 0;
    let stillFailing = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await deadLetters.listDeadLetters(name, {
        limit: 100,
        ...(after === undefined ? {} : { after }),
      });
      if (page.length === 0) return { fixed, stillFailing };
      for (const letter of page) {
        const [event] = await this.store.readAll({ after: letter.position - 1n, limit: 1 });
        if (event === undefined || event.position !== letter.position || event.id !== letter.eventId) {
          throw new ValidationError(
            'deadLetters',
            `the log has no event ${letter.eventId} at position ${letter.position}: was the letter written for another store?`,
          );
        }
        const error = await this.tryApply([event]);
        if (error === undefined) {
          await deadLetters.removeDeadLetter(name, letter.position);
          fixed++;
        } else {
          await deadLetters.addDeadLetter(
            this.letterOf(event, error, letter.attempts + this.retry.maxAttempts),
          );
          stillFailing++;
        }
      }
      after = page.at(-1)!.position;
    }
  }

  /** Removes one dead letter without applying its event; says whether it was there. */
  discardDeadLetter(position: bigint): Promise<boolean> {
    return this.requireDeadLetters().removeDeadLetter(this.projector.name, position);
  }

  private requireDeadLetters(): DeadLetterStore {
    if (this.deadLetters === undefined) {
      throw new ValidationError(
        'deadLetters',
        'this runner has no dead-letter store; pass one as options.deadLetters',
      );
    }
    return this.deadLetters;
  }

  private letterOf(event: RecordedEvent, error: unknown, attempts: number): Omit<DeadLetter, 'failedAt'> {
    return {
      projector: this.projector.name,
      position: event.position,
      eventId: event.id,
      streamId: event.streamId,
      version: event.version,
      eventType: event.type,
      error: deadLetterErrorOf(error),
      attempts,
    };
  }

  private async withTransientRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await work();
      } catch (error) {
        if (!isTransient(error) || retry >= this.retry.transientRetries) throw error;
        this.report(error, retry + 1);
        await this.signal.sleep(backoffDelay(retry + 1, this.retry));
        if (this.stopping) throw error;
      }
    }
  }

  private report(error: unknown, retry: number): void {
    try {
      this.onError?.(error, { projector: this.projector.name, retry });
    } catch {
      // A broken listener must not stop the projection.
    }
  }
}
