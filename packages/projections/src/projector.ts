import {
  type Awaitable,
  assertName,
  type DomainEvent,
  type EventRegistry,
  isPromiseLike,
  type RecordedEvent,
  ValidationError,
} from '@strata/core';

/**
 * Applies one event to the read model. `data` is decoded by the projector's registry, if it has one.
 * `tx` is the open transaction the event is applied in (an exactly-once runner's, or the append's
 * for a realtime projector in the store's database): write the read model through it so it commits
 * with the checkpoint. Outside a transaction it is `undefined`. On SQLite, return nothing (no Promise):
 * the transaction is synchronous.
 */
export type ProjectionHandler<D = unknown, Tx = void> = (
  data: D,
  event: RecordedEvent,
  tx: Tx,
) => Awaitable<void>;

/** One handler per event type the projector reads; every other type is never read. */
export type ProjectionHandlers<E extends DomainEvent, Tx = void> = {
  [K in E['type']]?: ProjectionHandler<Extract<E, { type: K }>['data'], Tx>;
};

/**
 * `Tx` is the transaction handle the handlers write through (`SqliteDatabase`, `PostgresClient`,
 * `MysqlQueryable`), or `void` (the default) for a projector that writes elsewhere.
 */
export interface ProjectorOptions<E extends DomainEvent = DomainEvent, Tx = void> {
  /** Names the projector's checkpoint and dead letters: keep it stable, as a stored name. */
  name: string;
  handlers?: ProjectionHandlers<E, Tx>;
  /**
   * Applies a whole batch at once (bulk inserts). When a batch fails, the runner retries it and
   * then narrows it down by halves to the event that fails alone, so one poison event cannot
   * stop the others.
   */
  handleBatch?: (events: RecordedEvent[], tx: Tx) => Awaitable<void>;
  /** The event types to read; defaults to the types of `handlers`. Required with `handleBatch` alone. */
  eventTypes?: readonly string[];
  /** Only events of streams of these types. */
  streamTypes?: readonly string[];
  /** Decodes payloads (Dates, bigints, value objects) before they reach a handler. */
  registry?: EventRegistry;
}

/** A checked projector definition, ready for a runner or a realtime projection. */
export interface Projector<Tx = void> {
  readonly name: string;
  readonly eventTypes: readonly string[];
  readonly streamTypes: ReadonlySet<string> | undefined;
  /** True with `handleBatch`: a batch is applied in one call, else one event at a time. */
  readonly batched: boolean;
  /**
   * Applies events in order: `handleBatch` when given, else one handler call per event. Stays
   * synchronous while the handlers are (a SQLite transaction needs that); else returns a promise.
   */
  apply(events: readonly RecordedEvent[], tx: Tx): Awaitable<void>;
}

/** Checks a projector definition once, before any event is read. */
export function defineProjector<E extends DomainEvent = DomainEvent, Tx = void>(
  options: ProjectorOptions<E, Tx>,
): Projector<Tx> {
  assertName(options.name, 'name');
  const handlers = new Map(
    Object.entries(
      (options.handlers ?? {}) as Record<string, ProjectionHandler<unknown, Tx> | undefined>,
    ).filter((entry): entry is [string, ProjectionHandler<unknown, Tx>] => entry[1] !== undefined),
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
    apply(events, tx) {
      const decoded = events.map(decode);
      if (handleBatch !== undefined) return handleBatch(decoded, tx);
      return applyInOrder(decoded, 0, (event) =>
        // A type listed in eventTypes without a handler is read and skipped on purpose.
        handlers.get(event.type)?.(event.data, event, tx),
      );
    },
  };
}

/** Applies events one after the other, awaiting only the handlers that return a promise. */
function applyInOrder(
  events: readonly RecordedEvent[],
  from: number,
  applyOne: (event: RecordedEvent) => Awaitable<void> | undefined,
): Awaitable<void> {
  for (let i = from; i < events.length; i++) {
    const result = applyOne(events[i]!);
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(() => applyInOrder(events, i + 1, applyOne));
    }
  }
}
