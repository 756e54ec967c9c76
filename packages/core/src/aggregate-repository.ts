import type { AnyAggregate } from './aggregate-root.js';
import type { AggregateSnapshots, SnapshotLookup } from './aggregate-snapshots.js';
import { ConcurrencyError } from './errors/concurrency-error.js';
import { StreamNotFoundError } from './errors/stream-not-found-error.js';
import { ValidationError } from './errors/validation-error.js';
import type { AppendResult, RecordedEvent } from './event.js';
import type { EventRegistry } from './event-registry.js';
import type { EventStore } from './event-store.js';
import { iterateStream } from './iterate.js';

export interface AggregateRepositoryOptions<A extends AnyAggregate> {
  /** Recorded as each stream's type, and the default stream id prefix: `order` gives `order-<id>`. */
  streamType: string;
  /** Returns a blank aggregate for `id`; history is applied to it. */
  create: (id: string) => A;
  /** Maps an aggregate id to its stream id; defaults to `${streamType}-${id}`. */
  streamId?: (id: string) => string;
  /** Encodes payloads on save and decodes them on load (Dates, value objects, registered types). */
  registry?: EventRegistry;
  /** Events read per page while loading; bounds memory for long streams. Defaults to 1000. */
  batchSize?: number;
  /**
   * Loads start from a snapshot and saves may take one: `snapshotting({...})` from
   * `@strata/snapshots`. Used only for aggregates that implement `snapshotState`/`restoreState`.
   */
  snapshots?: AggregateSnapshots;
}

export interface LoadOptions {
  /** Load the state as of this version (inclusive), for audits and debugging. */
  toVersion?: number;
}

export interface UpdateOptions {
  /** How many times to reload and re-run the command after a ConcurrencyError. Defaults to 3. */
  retries?: number;
  /** Start from a blank aggregate when the stream does not exist (instead of StreamNotFoundError). */
  createIfMissing?: boolean;
  /** Metadata added to every event saved (correlation ids, user ids). */
  metadata?: Record<string, unknown>;
  /** Called before each retry; useful for logging conflicts. */
  onRetry?: (error: ConcurrencyError, attempt: number) => void;
}

/**
 * Loads aggregates by replaying their streams and saves their new events with the loaded version
 * as the expected version, so concurrent writers cannot silently overwrite each other.
 */
export class AggregateRepository<A extends AnyAggregate> {
  private readonly toStreamId: (id: string) => string;

  constructor(
    private readonly store: EventStore,
    private readonly options: AggregateRepositoryOptions<A>,
  ) {
    this.toStreamId = options.streamId ?? ((id) => `${options.streamType}-${id}`);
  }

  /** The aggregate, or `StreamNotFoundError` when it has no events. */
  async load(id: string, options: LoadOptions = {}): Promise<A> {
    const aggregate = await this.find(id, options);
    if (aggregate === undefined) throw new StreamNotFoundError(this.toStreamId(id));
    return aggregate;
  }

  /** The aggregate, or `undefined` when it has no events. */
  async find(id: string, options: LoadOptions = {}): Promise<A | undefined> {
    const started = performance.now();
    const lookup: SnapshotLookup = {
      streamId: this.toStreamId(id),
      streamType: this.options.streamType,
      ...(options.toVersion === undefined ? {} : { toVersion: options.toVersion }),
    };
    const { aggregate, snapshotVersion } = await this.restore(id, lookup);
    let eventsReplayed = 0;
    const events = iterateStream(this.store, lookup.streamId, {
      fromVersion: snapshotVersion + 1,
      ...(options.toVersion === undefined ? {} : { toVersion: options.toVersion }),
      ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
    });
    let page: RecordedEvent[] = [];
    for await (const event of events) {
      page.push(this.options.registry ? this.options.registry.deserialize(event) : event);
      if (page.length >= 256) {
        aggregate.applyHistory(page);
        eventsReplayed += page.length;
        page = [];
      }
    }
    aggregate.applyHistory(page);
    eventsReplayed += page.length;
    this.options.snapshots?.loaded({
      streamId: lookup.streamId,
      streamType: lookup.streamType,
      version: aggregate.version,
      snapshotVersion,
      eventsReplayed,
      replayMs: performance.now() - started,
    });
    return aggregate.version === 0 ? undefined : aggregate;
  }

  /** A blank aggregate, or one restored from the newest usable snapshot. */
  private async restore(
    id: string,
    lookup: SnapshotLookup,
  ): Promise<{ aggregate: A; snapshotVersion: number }> {
    const aggregate = this.options.create(id);
    const { snapshots } = this.options;
    if (snapshots === undefined || !aggregate.supportsSnapshots) return { aggregate, snapshotVersion: 0 };
    const restored = await snapshots.restore(lookup);
    if (restored === undefined) return { aggregate, snapshotVersion: 0 };
    try {
      aggregate.fromSnapshot(restored);
      return { aggregate, snapshotVersion: restored.version };
    } catch (error) {
      snapshots.rejected(lookup, restored.version, error);
      // restoreState may have half-filled it: start over from a blank one.
      return { aggregate: this.options.create(id), snapshotVersion: 0 };
    }
  }

  /**
   * Appends the aggregate's pending events, expecting the stream to be where it was loaded.
   * Returns `undefined` when there was nothing to save.
   */
  async save(
    aggregate: A,
    options: { metadata?: Record<string, unknown> } = {},
  ): Promise<AppendResult | undefined> {
    const pending = aggregate.pendingEvents;
    if (pending.length === 0) return undefined;
    const { registry } = this.options;
    const events = pending.map((event) => {
      const withMetadata = options.metadata
        ? { ...event, metadata: { ...options.metadata, ...event.metadata } }
        : event;
      return registry ? registry.serialize(withMetadata) : withMetadata;
    });
    const result = await this.store.append(this.toStreamId(aggregate.id), events, {
      expectedVersion: aggregate.persistedVersion,
      streamType: this.options.streamType,
    });
    aggregate.markSaved(result.lastVersion);
    if (this.options.snapshots && aggregate.supportsSnapshots) {
      this.options.snapshots.saved({
        streamId: this.toStreamId(aggregate.id),
        streamType: this.options.streamType,
        version: result.lastVersion,
        takeState: () => aggregate.toSnapshot().state,
      });
    }
    return result;
  }

  /**
   * Loads the aggregate, runs `command` on it and saves; on a ConcurrencyError reloads and runs
   * the command again on fresh state, up to `retries` times. Commands must be free of side effects
   * other than recording events, since they may run more than once.
   */
  async update(
    id: string,
    command: (aggregate: A) => void | Promise<void>,
    options: UpdateOptions = {},
  ): Promise<A> {
    const retries = options.retries ?? 3;
    if (!Number.isSafeInteger(retries) || retries < 0) {
      throw new ValidationError('options.retries', 'must be an integer >= 0');
    }
    for (let attempt = 0; ; attempt++) {
      const aggregate = options.createIfMissing
        ? ((await this.find(id)) ?? this.options.create(id))
        : await this.load(id);
      await command(aggregate);
      try {
        await this.save(aggregate, options.metadata ? { metadata: options.metadata } : {});
        return aggregate;
      } catch (error) {
        if (!ConcurrencyError.isInstance(error) || attempt >= retries) throw error;
        options.onRetry?.(error, attempt + 1);
      }
    }
  }
}
