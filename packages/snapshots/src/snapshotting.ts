import {
  type AggregateSnapshots,
  type EventRegistry,
  type LoadReport,
  type RestoredState,
  type SavedAggregate,
  type Snapshot,
  type SnapshotLookup,
  type SnapshotStore,
  ValidationError,
  ValueCodec,
} from '@strata/core';
import { type PruneOptions, type PruneResult, pruneSnapshots, type RetentionOptions } from './retention.js';
import {
  type CompressionOptions,
  compressState,
  decompressState,
  resolveCompression,
} from './snapshot-compression.js';
import { emptyStats, type IgnoredReason, type SnapshotEvent, type SnapshotStats } from './snapshot-events.js';
import type { SnapshotStrategy } from './snapshot-strategy.js';
import { checkUpgraders, type StateUpgrader, upgradeState } from './state-upgraders.js';
import { everyNEvents } from './strategies.js';
import { StreamMetrics } from './stream-metrics.js';

export interface SnapshottingOptions {
  /** Where snapshots live: any adapter's `SnapshotStore`. */
  store: SnapshotStore;
  /** The version of the aggregate's state shape. Bump it when the shape changes. */
  stateVersion: number;
  /** When to snapshot after a save. Default `everyNEvents(10)`. */
  strategy?: SnapshotStrategy;
  /** Encodes the state like event payloads (Dates, bigints, value objects). Default: the registry's codec, else a plain `ValueCodec`. */
  registry?: EventRegistry;
  codec?: ValueCodec;
  /** Default gzip at level 6 for states of 1 KiB or more. */
  compression?: CompressionOptions;
  /** Moves old states forward: `{ 1: (v1) => v2, 2: (v2) => v3 }`. Without a full chain, old snapshots are ignored. */
  upgraders?: Record<number, StateUpgrader>;
  /** Everything that happens, for logs and metrics: restores, upgrades, ignored snapshots, writes, failed writes. */
  onEvent?: (event: SnapshotEvent) => void;
  /** Retention applied by `prune()`. */
  retention?: RetentionOptions;
  /** Streams whose load metrics are kept in memory; the least recently used are forgotten. Default 10,000. */
  maxTrackedStreams?: number;
  /** Milliseconds since the epoch; for tests. */
  clock?: () => number;
}

/** `AggregateRepository`'s `snapshots` option, plus what an operator needs around it. */
export interface Snapshotter extends AggregateSnapshots {
  /** Running totals: restores, upgrades, ignored snapshots, writes, failures. */
  readonly stats: Readonly<SnapshotStats>;
  /** Writes a snapshot now, whatever the strategy says; rejects when the write fails. */
  write(snapshot: { streamId: string; version: number; state: unknown }): Promise<void>;
  /** Resolves once every snapshot being written in the background has been written (or failed). */
  flush(): Promise<void>;
  /**
   * Applies the retention rules (these, or `snapshotting({ retention })`) to every stream with a
   * snapshot, or to `options.streamIds`; never deletes a stream's newest snapshot.
   */
  prune(retention?: RetentionOptions, options?: PruneOptions): Promise<PruneResult>;
}

/**
 * Turns snapshots on for an `AggregateRepository`:
 *
 * ```ts
 * new AggregateRepository(store, { streamType: 'order', create, snapshots: snapshotting({ store: snapshotStore, stateVersion: 1 }) })
 * ```
 */
export function snapshotting(options: SnapshottingOptions): Snapshotter {
  return new DefaultSnapshotter(options);
}

class DefaultSnapshotter implements Snapshotter {
  readonly stats = emptyStats();
  private readonly store: SnapshotStore;
  private readonly stateVersion: number;
  private readonly strategy: SnapshotStrategy;
  private readonly codec: ValueCodec;
  private readonly compression: ReturnType<typeof resolveCompression>;
  private readonly upgraders: Map<number, StateUpgrader>;
  private readonly metrics: StreamMetrics;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Streams whose newest snapshot could not be used: the next save snapshots them whatever the strategy says. */
  private readonly needsSnapshot = new Set<string>();
  private readonly clock: () => number;

  constructor(private readonly options: SnapshottingOptions) {
    if (options.store === undefined) throw new ValidationError('store', 'give the SnapshotStore to write to');
    if (!Number.isSafeInteger(options.stateVersion) || options.stateVersion < 1) {
      throw new ValidationError('stateVersion', 'must be an integer >= 1');
    }
    const maxTracked = options.maxTrackedStreams ?? 10_000;
    if (!Number.isSafeInteger(maxTracked) || maxTracked < 1) {
      throw new ValidationError('maxTrackedStreams', 'must be an integer >= 1');
    }
    this.store = options.store;
    this.stateVersion = options.stateVersion;
    this.strategy = options.strategy ?? everyNEvents(10);
    this.codec = options.codec ?? options.registry?.codec ?? new ValueCodec();
    this.compression = resolveCompression(options.compression);
    this.upgraders = checkUpgraders(options.upgraders ?? {}, options.stateVersion);
    this.clock = options.clock ?? Date.now;
    this.metrics = new StreamMetrics(maxTracked, this.clock);
  }

  async restore(lookup: SnapshotLookup): Promise<RestoredState | undefined> {
    const maxVersion = lookup.toVersion === undefined ? {} : { maxVersion: lookup.toVersion };
    const newest = await this.load(lookup.streamId, maxVersion);
    if (newest === undefined) return undefined;
    const restored = await this.use(newest);
    if (restored !== undefined) return restored;
    this.needsSnapshot.add(lookup.streamId);
    // An older snapshot of the current shape may still be there: one more look, no more.
    const older = await this.load(lookup.streamId, {
      stateVersion: this.stateVersion,
      maxVersion: newest.version - 1,
    });
    return older === undefined ? undefined : this.use(older);
  }

  rejected(lookup: SnapshotLookup, version: number, error: unknown): void {
    this.stats.rejected++;
    this.needsSnapshot.add(lookup.streamId);
    this.report({ type: 'ignored', streamId: lookup.streamId, version, reason: 'rejected', error });
  }

  loaded(report: LoadReport): void {
    this.metrics.loaded(report);
  }

  saved(aggregate: SavedAggregate): void {
    const { streamId, streamType, version } = aggregate;
    const forced = this.needsSnapshot.has(streamId);
    if (!forced && !this.strategy.shouldSnapshot(this.metrics.context(streamId, streamType, version))) return;
    if (this.inFlight.has(streamId)) {
      this.stats.skippedInFlight++;
      return;
    }
    let encoded: unknown;
    try {
      // Taken and encoded now: once saved() returns, the caller may change the aggregate.
      encoded = this.codec.encode(aggregate.takeState(), `snapshot of ${streamType}`);
    } catch (error) {
      this.failed(streamId, version, error);
      return;
    }
    this.needsSnapshot.delete(streamId);
    const writing = this.persist(streamId, version, encoded)
      .catch((error) => {
        if (forced) this.needsSnapshot.add(streamId);
        this.failed(streamId, version, error);
      })
      .finally(() => this.inFlight.delete(streamId));
    this.inFlight.set(streamId, writing);
  }

  async write(snapshot: { streamId: string; version: number; state: unknown }): Promise<void> {
    try {
      await this.persist(snapshot.streamId, snapshot.version, this.codec.encode(snapshot.state, 'snapshot'));
    } catch (error) {
      this.failed(snapshot.streamId, snapshot.version, error);
      throw error;
    }
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  prune(retention?: RetentionOptions, options: PruneOptions = {}): Promise<PruneResult> {
    const rules = retention ?? this.options.retention;
    if (rules === undefined) {
      return Promise.reject(
        new ValidationError('retention', 'give the rules here or in snapshotting({ retention })'),
      );
    }
    return pruneSnapshots(this.store, rules, { now: this.clock(), ...options });
  }

  private async persist(streamId: string, version: number, encoded: unknown): Promise<void> {
    const started = performance.now();
    const envelope = await compressState(encoded, this.compression);
    await this.store.saveSnapshot({ streamId, version, stateVersion: this.stateVersion, state: envelope });
    this.stats.written++;
    this.metrics.snapshotWritten(streamId, version, envelope.bytes);
    this.report({
      type: 'written',
      streamId,
      version,
      codec: envelope.codec,
      bytes: envelope.bytes,
      storedBytes: typeof envelope.body === 'string' ? envelope.body.length : envelope.bytes,
      ms: performance.now() - started,
    });
  }

  private async load(streamId: string, options: { stateVersion?: number; maxVersion?: number }) {
    try {
      return await this.store.loadSnapshot(streamId, options);
    } catch (error) {
      this.stats.loadFailures++;
      this.ignore(streamId, 0, 'load-failed', error);
      return undefined;
    }
  }

  /** The snapshot's state in the current shape, or `undefined` (reported) when it cannot be used. */
  private async use(snapshot: Snapshot): Promise<RestoredState | undefined> {
    const { streamId, version } = snapshot;
    let state: unknown;
    try {
      state = this.codec.decode(await decompressState(snapshot.state), 'snapshot');
    } catch (error) {
      this.stats.unreadable++;
      this.ignore(streamId, version, 'unreadable', error);
      return undefined;
    }
    if (snapshot.stateVersion !== this.stateVersion) {
      let upgraded: unknown;
      try {
        upgraded = upgradeState(state, snapshot.stateVersion, this.stateVersion, this.upgraders);
      } catch (error) {
        this.stats.unreadable++;
        this.ignore(streamId, version, 'unreadable', error);
        return undefined;
      }
      if (upgraded === undefined) {
        this.stats.ignoredStateVersion++;
        this.ignore(streamId, version, 'state-version');
        return undefined;
      }
      this.stats.upgraded++;
      this.report({
        type: 'upgraded',
        streamId,
        version,
        fromStateVersion: snapshot.stateVersion,
        toStateVersion: this.stateVersion,
      });
      state = upgraded;
    }
    this.stats.restored++;
    this.report({ type: 'restored', streamId, version });
    return { version, state };
  }

  private ignore(streamId: string, version: number, reason: IgnoredReason, error?: unknown): void {
    this.report({ type: 'ignored', streamId, version, reason, ...(error === undefined ? {} : { error }) });
  }

  private failed(streamId: string, version: number, error: unknown): void {
    this.stats.writeFailures++;
    this.report({ type: 'write-failed', streamId, version, error });
  }

  private report(event: SnapshotEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A broken listener must not fail a load or a save.
    }
  }
}
