import {
  type CheckpointStore,
  type DeadLetter,
  type DeadLetterStore,
  deadLetterErrorOf,
  type EventStore,
  type RecordedEvent,
  ValidationError,
} from '@strata/core';
import { PoisonEventError } from './poison-event-error.js';
import {
  type ProjectionLag,
  type ProjectionState,
  type ProjectionStatus,
  ThroughputMeter,
} from './projection-status.js';
import type { Projector } from './projector.js';
import {
  backoffDelay,
  isTransient,
  type ResolvedRetry,
  type RetryOptions,
  resolveRetry,
} from './retry-policy.js';
import { WakeSignal } from './wake-signal.js';

export interface ProjectionRunnerOptions {
  /** The log to follow. */
  store: EventStore;
  /** Where the projector's position is kept; saves are compare-and-set, so two runners never both advance it. */
  checkpoints: CheckpointStore;
  projector: Projector;
  /** Events read and applied per step; `handleBatch` receives up to this many. Default 100. */
  batchSize?: number;
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
}

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
 * how) unless the read model and the checkpoint commit together.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly checkpoints: CheckpointStore;
  private readonly projector: Projector;
  private readonly batchSize: number;
  private readonly retry: ResolvedRetry;
  private readonly deadLetters: DeadLetterStore | undefined;
  private readonly onPoison: 'skip' | 'stop';
  private readonly minPollMs: number;
  private readonly maxPollMs: number;
  private readonly onError: ProjectionRunnerOptions['onError'];
  private readonly signal = new WakeSignal();
  private readonly meter = new ThroughputMeter();
  private state: ProjectionState = 'stopped';
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** The position this runner last read or saved: the expected position of its next save. */
  private checkpoint: bigint | undefined;
  private checkpointLoaded = false;
  private eventsProcessed = 0;
  private deadLettered = 0;
  private lastError: unknown;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.checkpoints = options.checkpoints;
    this.projector = options.projector;
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new ValidationError('batchSize', 'must be an integer from 1 to 10,000');
    }
    this.retry = resolveRetry(options.retry);
    this.deadLetters = options.deadLetters;
    this.onPoison = options.onPoison ?? 'skip';
    this.minPollMs = options.polling?.minMs ?? 10;
    this.maxPollMs = options.polling?.maxMs ?? 1_000;
    if (!(this.minPollMs > 0) || !(this.maxPollMs >= this.minPollMs)) {
      throw new ValidationError('polling', 'needs 0 < minMs <= maxMs');
    }
    this.onError = options.onError;
  }

  /** Starts following the log in the background; a no-op while running. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.state = 'running';
    this.lastError = undefined;
    // Another runner may have moved the checkpoint while this one was stopped or failed.
    this.checkpointLoaded = false;
    this.loop = this.follow().finally(() => {
      this.loop = undefined;
    });
  }

  /** Finishes the batch in hand, saves its checkpoint and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.wake();
    await this.loop;
    if (this.state === 'running') this.state = 'stopped';
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
    let total = 0;
    for (;;) {
      const { read, more } = await this.withTransientRetries(() => this.step());
      total += read;
      if (!more) return total;
    }
  }

  status(): ProjectionStatus {
    return {
      name: this.projector.name,
      state: this.state,
      checkpoint: this.checkpoint,
      eventsProcessed: this.eventsProcessed,
      deadLettered: this.deadLettered,
      eventsPerSecond: this.meter.perSecond(),
      lastError: this.lastError,
    };
  }

  /** How far behind the log's head the projector is: reads up to `countLimit` events after its checkpoint. */
  async lag(countLimit = 10_000): Promise<ProjectionLag> {
    const after = (await this.checkpoints.loadCheckpoint(this.projector.name)) ?? 0n;
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
    let idleMs = this.minPollMs;
    while (!this.stopping) {
      let result: StepResult;
      try {
        result = await this.withTransientRetries(() => this.step());
      } catch (error) {
        // Stopping cuts a transient retry short: that is a clean stop, not a failure.
        if (this.stopping) return;
        this.state = 'failed';
        this.lastError = error;
        return;
      }
      if (result.more) {
        idleMs = this.minPollMs;
        continue;
      }
      await this.signal.sleep(idleMs);
      idleMs = Math.min(this.maxPollMs, idleMs * 2);
    }
  }

  /** Reads one batch after the checkpoint, applies it and moves the checkpoint past it. */
  private async step(): Promise<StepResult> {
    const name = this.projector.name;
    if (!this.checkpointLoaded) {
      this.checkpoint = await this.checkpoints.loadCheckpoint(name);
      this.checkpointLoaded = true;
    }
    const page = await this.store.readAll({
      after: this.checkpoint ?? 0n,
      limit: this.batchSize,
      types: [...this.projector.eventTypes],
    });
    if (page.length === 0) return { read: 0, more: false };
    const events = page.filter((event) => this.wanted(event));
    if (this.projector.batched) {
      if (events.length > 0) await this.applyIsolatingPoison(events);
    } else {
      // One event at a time: a retry never applies an event that already succeeded again.
      for (const event of events) await this.applyIsolatingPoison([event]);
    }
    const last = page.at(-1)!.position;
    // Compare-and-set: a second runner that moved the checkpoint meanwhile makes this one stop.
    await this.checkpoints.saveCheckpoint(name, last, { expectedPosition: this.checkpoint ?? null });
    this.checkpoint = last;
    this.eventsProcessed += events.length;
    this.meter.record(events.length);
    return { read: page.length, more: page.length === this.batchSize };
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
        await this.withTransientRetries(() => this.projector.apply(events));
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
