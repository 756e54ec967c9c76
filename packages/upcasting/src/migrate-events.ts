import {
  type EventRewrite,
  EventRewriteConflictError,
  type EventStore,
  type RecordedEvent,
  type RewritableEventStore,
  supportsEventRewrite,
  supportsEventRewriteBatch,
  UnsupportedOperationError,
  ValidationError,
} from '@strata/core';
import {
  type MigrateEventsOptions,
  type ResolvedMigrationOptions,
  resolveMigrationOptions,
} from './event-migration-options.js';
import { type LeftSplit, rewriteToCurrent } from './event-migration-plan.js';
import { chunkRewrites } from './rewrite-chunks.js';
import type { UpcasterChain } from './upcaster-chain.js';
import { isUpcastingStore } from './upcasting-event-store.js';

/** How many times one event's rewrite (or one batch) is tried again after a conflict, each time from a fresh read. */
const CONFLICT_RETRIES = 3;

/** Stored type and schema version to current type and schema version, and how many events took that way. */
export interface MigrationChange {
  fromType: string;
  fromVersion: number;
  toType: string;
  toVersion: number;
  count: number;
}

/** Stored events of one type and version that read as several events, so stay as stored. */
export interface MigrationSplit {
  fromType: string;
  fromVersion: number;
  /** The events each reads as, in order, at their current types and versions. */
  into: { type: string; schemaVersion: number }[];
  count: number;
}

export interface MigrationReport {
  dryRun: boolean;
  /** The checkpoint the run resumed after; `undefined` when it started at the beginning of the log. */
  resumedAfter: bigint | undefined;
  /** Events read: those of the types the chain knows (current and old names). */
  examined: number;
  /** Events rewritten to their current version (in a dry run: that would be). */
  rewritten: number;
  /** Events that another writer brought to their current version while this run was at them. */
  skipped: number;
  /** The rewrites, by way taken, in the order first met. */
  changes: MigrationChange[];
  /**
   * Events left as stored because they read as several (a split): a rewrite cannot make one
   * stored event several without new versions and positions, so `withUpcasting` keeps splitting
   * them on every read. Counted in `examined`, never in `rewritten`, and never an error.
   */
  leftSplit: number;
  /** Those events, by type and version, in the order first met. */
  splits: MigrationSplit[];
}

/**
 * Eager migration: rewrites every stored event that is not at its type's current schema version
 * (or is stored under an old name) to what `withUpcasting(store, chain)` would read, in place. It
 * pages through `readAll` in batches, saving its place in `options.checkpoints` after each, so a
 * run that is stopped or killed resumes where it was; an event rewritten twice (after a kill
 * between a rewrite and the checkpoint) is simply found current and left alone. Versions,
 * positions, ids, metadata and times never change: only the type, schema version and data.
 *
 * On a store with the batch form (`supportsEventRewriteBatch`), a batch's rewrites are committed
 * together with one `rewriteEvents` call (in parts of at most `MAX_REWRITE_BATCH_SIZE`), so a crash
 * leaves each part fully rewritten or not at all. If another writer changed one of its events
 * first, nothing of that part is written: the run reads those events again, decides again (an
 * event found current is `skipped`), and commits the part again, up to 3 times. Other stores get
 * one `rewriteEvent` per event.
 *
 * It rewrites history, so nothing calls it for you: run it on purpose, after a `dryRun`, on the
 * store itself (not on `withUpcasting`'s wrapper). `store` must have core's `EventRewriter`
 * capability (see `supportsEventRewrite`); a dry run only reads. Two runs under one checkpoint name
 * do not both go on: the second one's checkpoint save fails with `CheckpointConflictError`.
 */
export async function migrateEvents(
  store: EventStore,
  chain: UpcasterChain,
  options: MigrateEventsOptions,
): Promise<MigrationReport> {
  const resolved = resolveMigrationOptions(options);
  if (isUpcastingStore(store)) {
    throw new ValidationError(
      'store',
      'reads through withUpcasting, which hides what is stored: pass the store that withUpcasting wraps',
    );
  }
  if (!resolved.dryRun && !supportsEventRewrite(store)) {
    throw new UnsupportedOperationError(
      'upcasting',
      'migrateEvents',
      "the store has no rewriteEvent (core's EventRewriter capability); a dry run still works",
    );
  }
  return new EventMigration(store as RewritableEventStore, chain, resolved).run();
}

/** An event of a page and the rewrite that makes it current. */
interface PendingRewrite {
  event: RecordedEvent;
  rewrite: EventRewrite;
}

class EventMigration {
  private readonly types: string[];
  private readonly changes = new Map<string, MigrationChange>();
  private readonly splits = new Map<string, MigrationSplit>();
  private leftSplit = 0;
  private examined = 0;
  private rewritten = 0;
  private skipped = 0;

  constructor(
    private readonly store: RewritableEventStore,
    private readonly chain: UpcasterChain,
    private readonly options: ResolvedMigrationOptions,
  ) {
    this.types = [...chain.current.keys()].flatMap((type) => chain.storedNamesOf(type));
  }

  async run(): Promise<MigrationReport> {
    const { checkpoints, checkpointName, batchSize, dryRun } = this.options;
    const resumedAfter = await checkpoints.loadCheckpoint(checkpointName);
    const started = performance.now();
    let after = resumedAfter ?? 0n;
    let saved = resumedAfter;
    for (;;) {
      const page = await this.store.readAll({ after, limit: batchSize, types: this.types });
      await this.migratePage(page);
      if (page.length > 0) {
        after = page[page.length - 1]!.position;
        if (!dryRun) {
          await checkpoints.saveCheckpoint(checkpointName, after, { expectedPosition: saved ?? null });
          saved = after;
        }
        this.report(started, after);
      }
      if (page.length < batchSize) break;
    }
    if (!dryRun && saved !== undefined) await checkpoints.deleteCheckpoint(checkpointName);
    return {
      dryRun,
      resumedAfter,
      examined: this.examined,
      rewritten: this.rewritten,
      skipped: this.skipped,
      changes: [...this.changes.values()],
      leftSplit: this.leftSplit,
      splits: [...this.splits.values()],
    };
  }

  /** The page's rewrites: together, in atomic batches, when the store can; else one by one. */
  private async migratePage(page: RecordedEvent[]): Promise<void> {
    if (this.options.dryRun || !supportsEventRewriteBatch(this.store)) {
      return this.inParallel(page, (event) => this.migrate(event));
    }
    const pending: PendingRewrite[] = [];
    for (const event of page) {
      this.examined++;
      const plan = rewriteToCurrent(this.chain, event);
      if (plan === undefined) continue;
      if (isLeftSplit(plan)) this.countSplit(event, plan);
      else pending.push({ event, rewrite: plan });
    }
    await this.inParallel(chunkRewrites(pending), (chunk) => this.commit(chunk));
  }

  /**
   * Runs `work` on every item, `concurrency` at a time. Each piece is guarded and independent, so
   * their order does not matter; the first failure is thrown once none is in flight any more, and
   * the checkpoint then stays before the page.
   */
  private async inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (failure === undefined && next < items.length) {
        const item = items[next++]!;
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
    if (failure !== undefined) throw failure.error;
  }

  /** Commits one batch of rewrites whole; after a conflict, decides again from a fresh read and retries. */
  private async commit(batch: PendingRewrite[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (batch.length === 0) return;
      try {
        await this.store.rewriteEvents!(batch.map(({ rewrite }) => rewrite));
        for (const { rewrite } of batch) this.count(rewrite);
        return;
      } catch (error) {
        if (!EventRewriteConflictError.isInstance(error) || attempt === CONFLICT_RETRIES) throw error;
      }
      // Nothing of the batch was written: someone else rewrote at least one of its events since.
      batch = await this.decideAgain(batch);
    }
  }

  /** The batch's events read again, and what each needs now: current ones are skipped. */
  private async decideAgain(batch: PendingRewrite[]): Promise<PendingRewrite[]> {
    const fresh = await Promise.all(
      batch.map(({ event }) =>
        this.store.readStream(event.streamId, { fromVersion: event.version, limit: 1 }),
      ),
    );
    const again: PendingRewrite[] = [];
    for (let i = 0; i < batch.length; i++) {
      const { event } = batch[i]!;
      const stored = this.sameEvent(event, fresh[i]![0]);
      const plan = rewriteToCurrent(this.chain, stored);
      if (plan === undefined) this.skipped++;
      else if (isLeftSplit(plan)) this.countSplit(stored, plan);
      else again.push({ event: stored, rewrite: plan });
    }
    return again;
  }

  /** `stored`, when it is still the event that was read at that version; else the conflict it is. */
  private sameEvent(event: RecordedEvent, stored: RecordedEvent | undefined): RecordedEvent {
    if (stored === undefined || stored.id !== event.id) {
      throw new EventRewriteConflictError(
        event.streamId,
        event.version,
        identityOf(event),
        stored && identityOf(stored),
      );
    }
    return stored;
  }

  private async migrate(event: RecordedEvent): Promise<void> {
    this.examined++;
    let rewrite = rewriteToCurrent(this.chain, event);
    if (rewrite === undefined) return;
    if (isLeftSplit(rewrite)) return this.countSplit(event, rewrite);
    if (this.options.dryRun) return this.count(rewrite);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.rewriteEvent(rewrite);
        return this.count(rewrite);
      } catch (error) {
        if (!EventRewriteConflictError.isInstance(error) || attempt === CONFLICT_RETRIES) throw error;
      }
      // Someone else rewrote it since the page was read: decide again from what is stored now.
      const [read] = await this.store.readStream(event.streamId, { fromVersion: event.version, limit: 1 });
      const stored = this.sameEvent(event, read);
      const again = rewriteToCurrent(this.chain, stored);
      if (again === undefined) {
        this.skipped++;
        return;
      }
      if (isLeftSplit(again)) return this.countSplit(stored, again);
      rewrite = again;
    }
  }

  private countSplit(event: RecordedEvent, { parts }: LeftSplit): void {
    this.leftSplit++;
    const key = `${event.type}\u0000${event.schemaVersion}`;
    const split = this.splits.get(key);
    if (split !== undefined) split.count++;
    else {
      this.splits.set(key, {
        fromType: event.type,
        fromVersion: event.schemaVersion,
        into: parts.map(({ type, schemaVersion }) => ({ type, schemaVersion })),
        count: 1,
      });
    }
  }

  private count(rewrite: EventRewrite): void {
    this.rewritten++;
    const key = `${rewrite.expectedType}\u0000${rewrite.expectedSchemaVersion}`;
    const change = this.changes.get(key);
    if (change !== undefined) change.count++;
    else {
      this.changes.set(key, {
        fromType: rewrite.expectedType,
        fromVersion: rewrite.expectedSchemaVersion,
        toType: rewrite.type,
        toVersion: rewrite.schemaVersion,
        count: 1,
      });
    }
  }

  private report(started: number, position: bigint): void {
    const { onProgress, total } = this.options;
    if (onProgress === undefined) return;
    const seconds = (performance.now() - started) / 1000;
    onProgress({
      done: this.examined,
      rewritten: this.rewritten,
      perSecond: seconds > 0 ? this.examined / seconds : 0,
      left: total === undefined ? undefined : Math.max(0, total - this.examined),
      position,
    });
  }
}

function isLeftSplit(plan: EventRewrite | LeftSplit): plan is LeftSplit {
  return 'split' in plan;
}

function identityOf(event: RecordedEvent) {
  return { id: event.id, position: event.position, type: event.type, schemaVersion: event.schemaVersion };
}
