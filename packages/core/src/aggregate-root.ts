import type { RestoredState } from './aggregate-snapshots.js';
import { SerializationError } from './errors/serialization-error.js';
import { ValidationError } from './errors/validation-error.js';
import type { NewEvent, RecordedEvent } from './event.js';
import { assertName } from './prepare-append.js';
import { uuidv7 } from './uuid.js';

/** The events an aggregate understands, as a discriminated union: `{ type: 'order.placed'; data: {...} }`. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/** One state-changing function per event type. Handlers only mutate state; decisions live in commands. */
export type EventHandlers<E extends DomainEvent> = {
  [K in E['type']]: (data: Extract<E, { type: K }>['data'], event: Readonly<EventEnvelope>) => void;
};

/** What a handler knows of the event besides its data. */
export interface EventEnvelope {
  type: string;
  version: number;
  metadata: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Base class of event-sourced aggregates. Commands check invariants and call `record()`; state
 * changes only in `handlers`, which run both for new events and when replaying history.
 *
 * Event ids are generated when an event is recorded, so saving the same aggregate again after a
 * timeout is an idempotent retry, not a second write.
 */
export abstract class AggregateRoot<E extends DomainEvent = DomainEvent> {
  readonly id: string;
  protected abstract readonly handlers: EventHandlers<E>;
  private currentVersion = 0;
  private savedVersion = 0;
  private pending: NewEvent[] = [];
  /** The last event `applyHistory` applied: a split event's further parts come at its version. */
  private lastApplied: RecordedEvent | undefined;

  constructor(id: string) {
    assertName(id, 'id');
    this.id = id;
  }

  /** Version including events recorded but not saved yet. */
  get version(): number {
    return this.currentVersion;
  }

  /** Version of the stream as last loaded or saved: the expected version of the next save. */
  get persistedVersion(): number {
    return this.savedVersion;
  }

  /** Events recorded since the last save, oldest first. */
  get pendingEvents(): readonly NewEvent[] {
    return this.pending;
  }

  /** Applies stored events in version order; throws on a gap, so a partial history never loads. */
  applyHistory(events: Iterable<RecordedEvent>): void {
    if (this.pending.length > 0) {
      throw new ValidationError('events', 'cannot apply history to an aggregate with unsaved events');
    }
    for (const event of events) {
      if (event.version !== this.currentVersion + 1 && !this.isFurtherPart(event)) {
        throw new ValidationError(
          'events',
          `history of "${this.id}" jumps from version ${this.currentVersion} to ${event.version}`,
        );
      }
      this.dispatch(event.type, event.data, {
        type: event.type,
        version: event.version,
        metadata: event.metadata,
        occurredAt: event.occurredAt,
      });
      this.currentVersion = event.version;
      this.savedVersion = event.version;
      this.lastApplied = event;
    }
  }

  /**
   * An upcaster that splits one stored event into several (`@strata/upcasting`) reads them all at
   * the stored event's version and position, each with its own id: the version stays the stored
   * stream's, so the next save expects the right one.
   */
  private isFurtherPart(event: RecordedEvent): boolean {
    const last = this.lastApplied;
    return (
      last !== undefined &&
      event.version === this.currentVersion &&
      event.version === last.version &&
      event.position === last.position &&
      event.id !== last.id
    );
  }

  /** True when the subclass implements both `snapshotState` and `restoreState`. */
  get supportsSnapshots(): boolean {
    return typeof this.snapshotState === 'function' && typeof this.restoreState === 'function';
  }

  /** The saved state and its version, for a snapshot. The repository calls this after a save. */
  toSnapshot(): RestoredState {
    if (!this.supportsSnapshots) {
      throw new ValidationError(
        'aggregate',
        `${this.constructor.name} cannot be snapshotted: implement snapshotState() and restoreState()`,
      );
    }
    if (this.pending.length > 0) {
      throw new ValidationError('aggregate', 'cannot snapshot an aggregate with unsaved events');
    }
    return { version: this.savedVersion, state: this.snapshotState!() };
  }

  /** Puts a blank aggregate into a snapshot's state; events after `version` are applied next. */
  fromSnapshot(snapshot: RestoredState): void {
    if (!this.supportsSnapshots) {
      throw new ValidationError(
        'aggregate',
        `${this.constructor.name} cannot be restored from a snapshot: implement snapshotState() and restoreState()`,
      );
    }
    if (this.currentVersion !== 0 || this.pending.length > 0) {
      throw new ValidationError('aggregate', 'only a blank aggregate can be restored from a snapshot');
    }
    if (!Number.isSafeInteger(snapshot.version) || snapshot.version < 1) {
      throw new ValidationError('snapshot.version', 'must be an integer >= 1');
    }
    this.restoreState!(snapshot.state);
    this.currentVersion = snapshot.version;
    this.savedVersion = snapshot.version;
  }

  /**
   * Override together with `restoreState` to let the repository snapshot this aggregate: return
   * the whole state as plain data (Dates, bigints and registered value objects are fine). Return
   * a copy, not live objects, since the snapshot is written after the call returns.
   */
  protected snapshotState?(): unknown;

  /** Override together with `snapshotState`: sets the state of a blank aggregate from a snapshot. */
  protected restoreState?(state: unknown): void;

  /** Marks pending events as saved at `lastVersion`. The repository calls this after an append. */
  markSaved(lastVersion: number): void {
    this.pending = [];
    this.currentVersion = lastVersion;
    this.savedVersion = lastVersion;
  }

  /** Records a new event: applies it now and keeps it for the next save. */
  protected record<K extends E['type']>(
    type: K,
    data: Extract<E, { type: K }>['data'],
    metadata: Record<string, unknown> = {},
  ): void {
    const occurredAt = new Date();
    this.dispatch(type, data, { type, version: this.currentVersion + 1, metadata, occurredAt });
    this.pending.push({ id: uuidv7(), type, data, metadata, occurredAt });
    this.currentVersion++;
  }

  private dispatch(type: string, data: unknown, envelope: EventEnvelope): void {
    // Only own handlers: a stored type such as `toString` or `__proto__` must not find a member of
    // Object.prototype, which would "handle" it silently or throw a TypeError.
    const handlers = this.handlers as Record<string, (d: unknown, e: EventEnvelope) => void>;
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
    if (handler === undefined) {
      throw new SerializationError(
        type,
        `${this.constructor.name} has no handler for it; add one to its handlers`,
      );
    }
    handler.call(this, data, envelope);
  }
}

/** Any aggregate, whatever its events: handlers make `AggregateRoot` invariant in its event type. */
export type AnyAggregate = AggregateRoot<never>;
