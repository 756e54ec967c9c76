import {
  assertName,
  type DomainEvent,
  type EventRegistry,
  type RecordedEvent,
  ValidationError,
} from '@strata/core';

/** Applies one event to the read model. `data` is decoded by the projector's registry, if it has one. */
export type ProjectionHandler<D = unknown> = (data: D, event: RecordedEvent) => void | Promise<void>;

/** One handler per event type the projector reads; every other type is never read. */
export type ProjectionHandlers<E extends DomainEvent> = {
  [K in E['type']]?: ProjectionHandler<Extract<E, { type: K }>['data']>;
};

export interface ProjectorOptions<E extends DomainEvent = DomainEvent> {
  /** Names the projector's checkpoint and dead letters: keep it stable, as a stored name. */
  name: string;
  handlers?: ProjectionHandlers<E>;
  /**
   * Applies a whole batch at once (bulk inserts). When a batch fails, the runner retries it and
   * then narrows it down by halves to the event that fails alone, so one poison event cannot
   * stop the others.
   */
  handleBatch?: (events: RecordedEvent[]) => Promise<void>;
  /** The event types to read; defaults to the types of `handlers`. Required with `handleBatch` alone. */
  eventTypes?: readonly string[];
  /** Only events of streams of these types. */
  streamTypes?: readonly string[];
  /** Decodes payloads (Dates, bigints, value objects) before they reach a handler. */
  registry?: EventRegistry;
}

/** A checked projector definition, ready for a runner. */
export interface Projector {
  readonly name: string;
  readonly eventTypes: readonly string[];
  readonly streamTypes: ReadonlySet<string> | undefined;
  /** True with `handleBatch`: a batch is applied in one call, else one event at a time. */
  readonly batched: boolean;
  /** Applies events in order: `handleBatch` when given, else one handler call per event. */
  apply(events: readonly RecordedEvent[]): Promise<void>;
}

/** Checks a projector definition once, before any event is read. */
export function defineProjector<E extends DomainEvent = DomainEvent>(
  options: ProjectorOptions<E>,
): Projector {
  assertName(options.name, 'name');
  const handlers = new Map(
    Object.entries((options.handlers ?? {}) as Record<string, ProjectionHandler | undefined>).filter(
      (entry): entry is [string, ProjectionHandler] => entry[1] !== undefined,
    ),
  );
  for (const [type, handler] of handlers) {
    assertName(type, `handlers[${type}]`);
    if (typeof handler !== 'function') throw new ValidationError(`handlers[${type}]`, 'must be a function');
  }
  const { handleBatch, registry } = options;
  if (handleBatch !== undefined && typeof handleBatch !== 'function') {
    throw new ValidationError('handleBatch', 'must be a function');
  }
  if (handlers.size === 0 && handleBatch === undefined) {
    throw new ValidationError('handlers', 'give handlers, handleBatch, or both');
  }
  const eventTypes = [...(options.eventTypes ?? handlers.keys())];
  if (eventTypes.length === 0) {
    throw new ValidationError('eventTypes', 'name the event types handleBatch reads');
  }
  for (const [i, type] of eventTypes.entries()) assertName(type, `eventTypes[${i}]`);
  const streamTypes = options.streamTypes === undefined ? undefined : new Set(options.streamTypes);
  const decode = (event: RecordedEvent) => (registry ? registry.deserialize(event) : event);
  return {
    name: options.name,
    eventTypes,
    streamTypes,
    batched: handleBatch !== undefined,
    async apply(events) {
      const decoded = events.map(decode);
      if (handleBatch !== undefined) {
        await handleBatch(decoded);
        return;
      }
      for (const event of decoded) {
        // A type listed in eventTypes without a handler is read and skipped on purpose.
        await handlers.get(event.type)?.(event.data, event);
      }
    },
  };
}
