import { ValidationError } from './errors/validation-error.js';
import type { ExpectedVersion, NewEvent } from './event.js';
import type { AppendOptions } from './event-store.js';
import { assertJsonValue, isJsonValue } from './json-value.js';
import { uuidv7 } from './uuid.js';

export const MAX_NAME_LENGTH = 255;
// Names must come back from every store exactly: a lone surrogate has no UTF-8 form, and U+0000
// fits in no PostgreSQL text column. Payloads are unaffected: JSON escapes both.
const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const DEFAULT_STREAM_TYPE = 'default';
const EMPTY_OBJECT_JSON = '{}';
/** The largest `schemaVersion` every adapter stores: a signed 32-bit integer column holds it. */
export const MAX_SCHEMA_VERSION = 2_147_483_647;
/**
 * The most UTF-8 bytes an event's data and metadata may take together, as JSON. Every adapter
 * stores this much in one event: MariaDB's default `max_allowed_packet` (16 MiB) is the tightest
 * limit here, and it must also hold the rest of the statement.
 */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** An event checked and filled in, ready for an adapter to write. */
export interface PreparedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  /** `JSON.stringify(data)`, computed once for the adapters that store text. */
  dataJson: string;
  metadataJson: string;
  schemaVersion: number;
  occurredAt: Date;
}

export interface PreparedAppend {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: PreparedEvent[];
  /**
   * Whether the caller gave any event its id. When false, `prepareAppend` generated every id
   * (`uuidv7`, monotonic in this process): no other append in this process holds one, so an
   * adapter that keeps appends with shared ids apart can skip this one. A stored duplicate is
   * still refused by the store's unique index.
   */
  callerIds: boolean;
}

/**
 * Validates an `append` call completely and fills in defaults, so an adapter can write without
 * further checks and nothing is half-written because of bad input. Adapter authors: call this
 * first in `append`.
 */
export function prepareAppend(
  streamId: string,
  events: NewEvent[],
  options: AppendOptions = {},
): PreparedAppend {
  if (!isName(streamId)) assertName(streamId, 'streamId');
  const streamType = options.streamType ?? DEFAULT_STREAM_TYPE;
  // The default needs no check: most appends name no type.
  if (streamType !== DEFAULT_STREAM_TYPE && !isName(streamType)) assertName(streamType, 'options.streamType');
  const expectedVersion = options.expectedVersion ?? 'any';
  assertExpectedVersionShape(expectedVersion);
  if (!Array.isArray(events)) throw new ValidationError('events', 'must be an array');
  if (events.length === 0) throw new ValidationError('events', 'must hold at least one event');

  const now = new Date();
  const count = events.length;
  const prepared = new Array<PreparedEvent>(count);
  const batch: BatchState = {
    now,
    single: count === 1,
    callerIds: false,
    seen: undefined,
    checkedType: undefined,
  };
  for (let i = 0; i < count; i++) prepared[i] = prepareEvent(events[i] as NewEvent, i, batch);
  return { streamId, streamType, expectedVersion, events: prepared, callerIds: batch.callerIds };
}

/** `events[i].field`, the path errors name: built only for an error, never on the happy path. */
function eventPath(index: number, field?: string): string {
  return field === undefined ? `events[${index}]` : `events[${index}].${field}`;
}

/** What one `prepareAppend` call carries from event to event. */
interface BatchState {
  now: Date;
  /** A lone event cannot repeat an id. */
  single: boolean;
  callerIds: boolean;
  /** The ids the caller gave so far in a batch: generated ids never repeat (`uuidv7` is monotonic). */
  seen: Set<string> | undefined;
  /** The last event type found valid: a batch mostly repeats one type, checked once. */
  checkedType: string | undefined;
}

function prepareEvent(event: NewEvent, index: number, batch: BatchState): PreparedEvent {
  if (typeof event !== 'object' || event === null) {
    throw new ValidationError(eventPath(index), 'must be an object');
  }
  const type = event.type;
  // A string only: a missing type must not match the `undefined` nothing was checked against yet.
  if (typeof type !== 'string' || type !== batch.checkedType) {
    if (!isName(type)) assertName(type, eventPath(index, 'type'));
    batch.checkedType = type;
  }

  let id = event.id;
  if (id === undefined) id = uuidv7();
  else {
    if (!isName(id)) assertName(id, eventPath(index, 'id'));
    batch.callerIds = true;
    if (!batch.single) {
      batch.seen ??= new Set<string>();
      if (batch.seen.has(id))
        throw new ValidationError(eventPath(index, 'id'), `"${id}" appears twice in the batch`);
      batch.seen.add(id);
    }
  }

  const data = event.data;
  if (!isJsonValue(data)) assertJsonValue(data, eventPath(index, 'data'));
  const metadata = event.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new ValidationError(eventPath(index, 'metadata'), 'must be a plain object');
  }
  if (!isJsonValue(metadata)) assertJsonValue(metadata, eventPath(index, 'metadata'));

  const { now } = batch;
  const occurredAt = event.occurredAt ?? now;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) {
    throw new ValidationError(eventPath(index, 'occurredAt'), 'must be a valid Date');
  }
  const schemaVersion = event.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > MAX_SCHEMA_VERSION) {
    throw new ValidationError(
      eventPath(index, 'schemaVersion'),
      `must be an integer from 1 to ${MAX_SCHEMA_VERSION}`,
    );
  }
  const dataJson = JSON.stringify(data);
  const metadataJson = event.metadata === undefined ? EMPTY_OBJECT_JSON : JSON.stringify(metadata);
  if ((dataJson.length + metadataJson.length) * 3 > MAX_PAYLOAD_BYTES) {
    assertPayloadSize(dataJson, metadataJson, eventPath(index));
  }
  return {
    id,
    type,
    data,
    metadata: metadata as Record<string, unknown>,
    dataJson,
    metadataJson,
    schemaVersion,
    // A copy, like the JSON text: adapters that write later (queued group writes) or build
    // `AppendResult.events` on demand must see the time as it was, whatever the caller's Date does.
    occurredAt: occurredAt === now ? now : new Date(occurredAt.getTime()),
  };
}

/** Data and metadata must fit every adapter: a store that cannot hold an event refuses it before any write. */
export function assertPayloadSize(dataJson: string, metadataJson: string, path: string): void {
  // No character takes more than 3 UTF-8 bytes per UTF-16 unit: most payloads need no count.
  if ((dataJson.length + metadataJson.length) * 3 <= MAX_PAYLOAD_BYTES) return;
  const dataBytes = utf8ByteLength(dataJson);
  const metadataBytes = utf8ByteLength(metadataJson);
  if (dataBytes + metadataBytes <= MAX_PAYLOAD_BYTES) return;
  throw new ValidationError(
    dataBytes >= metadataBytes ? `${path}.data` : `${path}.metadata`,
    `data and metadata take ${dataBytes + metadataBytes} bytes as UTF-8 JSON; at most ${MAX_PAYLOAD_BYTES} are accepted`,
  );
}

/** The UTF-8 size of JSON text, which has no lone surrogates (`JSON.stringify` escapes them). */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Lone surrogates and U+0000: text no store can keep exactly (PostgreSQL refuses U+0000). */
export function hasUnstorableCharacters(value: string): boolean {
  return LONE_SURROGATE.test(value) || value.includes(NUL);
}

/** `assertName` without the error, for callers that build the error's path only when it fails. */
function isName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    !hasUnstorableCharacters(value)
  );
}

/** Stream ids, stream types, event types and event ids: non-empty strings of at most 255 characters. */
export function assertName(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError(path, 'must be a string');
  if (value.length === 0) throw new ValidationError(path, 'must not be empty');
  if (value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(path, `must be at most ${MAX_NAME_LENGTH} characters (got ${value.length})`);
  }
  if (hasUnstorableCharacters(value)) {
    throw new ValidationError(
      path,
      'must be well-formed UTF-16 without U+0000 (no store can keep those exactly)',
    );
  }
}

function assertExpectedVersionShape(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new ValidationError(
    'options.expectedVersion',
    `must be 'any', 'no_stream', 'stream_exists' or an integer >= 0 (got ${String(expected)})`,
  );
}
