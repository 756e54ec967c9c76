import { SerializationError } from './errors/serialization-error.js';
import type { NewEvent, RecordedEvent } from './event.js';
import { assertName } from './prepare-append.js';
import { ValueCodec } from './value-codec.js';

export interface EventTypeOptions {
  /** Current schema version of this event's payload; new events are stamped with it. Defaults to 1. */
  schemaVersion?: number;
}

export interface EventRegistryOptions {
  /** Value objects to round-trip; `Date` and `bigint` need no registration. */
  codec?: ValueCodec;
  /** What to do with a stored type that is not registered: throw (default) or pass the JSON through. */
  unknownTypes?: 'throw' | 'passthrough';
}

/**
 * The registry of event types and their payload codec. Every event type is registered under a
 * stable name, so history survives refactoring; `serialize` and `deserialize` turn domain events
 * into store events and back, keeping `Date`s, `bigint`s and value objects intact.
 */
export class EventRegistry {
  private readonly schemaVersions = new Map<string, number>();
  readonly codec: ValueCodec;
  private readonly unknownTypes: 'throw' | 'passthrough';

  constructor(options: EventRegistryOptions = {}) {
    this.codec = options.codec ?? new ValueCodec();
    this.unknownTypes = options.unknownTypes ?? 'throw';
  }

  register(type: string, options: EventTypeOptions = {}): this {
    assertName(type, 'type');
    if (this.schemaVersions.has(type)) throw new SerializationError(type, 'the type is already registered');
    const schemaVersion = options.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new SerializationError(type, 'schemaVersion must be an integer >= 1');
    }
    this.schemaVersions.set(type, schemaVersion);
    return this;
  }

  isRegistered(type: string): boolean {
    return this.schemaVersions.has(type);
  }

  /** The registered types and their schema versions. */
  get types(): ReadonlyMap<string, number> {
    return this.schemaVersions;
  }

  /** A domain event, ready to append: payload encoded, schema version stamped. */
  serialize<D, M>(event: NewEvent<D, M>): NewEvent {
    const schemaVersion = this.schemaVersions.get(event.type);
    if (schemaVersion === undefined) {
      throw new SerializationError(event.type, 'the type is not registered; call registry.register() first');
    }
    return {
      ...event,
      data: this.codec.encode(event.data, event.type),
      metadata: this.codec.encode(event.metadata ?? {}, event.type) as Record<string, unknown>,
      schemaVersion: event.schemaVersion ?? schemaVersion,
    };
  }

  /** A stored event with its payload decoded back into domain values. */
  deserialize(event: RecordedEvent): RecordedEvent {
    if (!this.schemaVersions.has(event.type)) {
      if (this.unknownTypes === 'passthrough') return event;
      throw new SerializationError(
        event.type,
        'the stored type is not registered; register it (or its upcaster)',
      );
    }
    return {
      ...event,
      data: this.codec.decode(event.data, event.type),
      metadata: this.codec.decode(event.metadata, event.type) as Record<string, unknown>,
    };
  }
}
