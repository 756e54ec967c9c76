import {
  AggregateRoot,
  type DomainEvent,
  type RecordedEvent,
  SerializationError,
  ValidationError,
} from '@strata/core';

/**
 * An `AggregateRoot` that replays the parts of split events. Core's `applyHistory` takes each
 * event at the next version, and refuses a repeat; a split's parts all carry their stored event's
 * version (so the aggregate's version stays the stored stream's, and its next save expects the
 * right one). Here an event at the version just applied, at the same position and with another
 * id, is taken as the next part of that stored event and applied without moving the version.
 * Everything else goes through `AggregateRoot.applyHistory` and its checks unchanged.
 */
export abstract class SplitAwareAggregateRoot<E extends DomainEvent = DomainEvent> extends AggregateRoot<E> {
  private lastApplied: { version: number; position: bigint; id: string } | undefined;

  override applyHistory(events: Iterable<RecordedEvent>): void {
    let run: RecordedEvent[] = [];
    for (const event of events) {
      const last = this.lastApplied;
      const nextPart =
        last !== undefined &&
        event.version === last.version &&
        event.position === last.position &&
        event.id !== last.id;
      if (nextPart) {
        super.applyHistory(run);
        run = [];
        if (this.version === event.version) this.applyPart(event);
        else super.applyHistory([event]); // not right after its stored event: core's check says why
      } else {
        run.push(event);
      }
      this.lastApplied = { version: event.version, position: event.position, id: event.id };
    }
    super.applyHistory(run);
  }

  /** A further part of the stored event just applied: its handler runs, the version stays. */
  private applyPart(event: RecordedEvent): void {
    if (this.pendingEvents.length > 0) {
      throw new ValidationError('events', 'cannot apply history to an aggregate with unsaved events');
    }
    // Only own handlers, as in AggregateRoot: a type such as `toString` must not find Object.prototype's.
    const handlers = this.handlers as Record<string, (data: unknown, envelope: object) => void>;
    const handler = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
    if (handler === undefined) {
      throw new SerializationError(
        event.type,
        `${this.constructor.name} has no handler for it; add one to its handlers`,
      );
    }
    handler.call(this, event.data, {
      type: event.type,
      version: event.version,
      metadata: event.metadata,
      occurredAt: event.occurredAt,
    });
  }
}
