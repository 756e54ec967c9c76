export type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from './event.js';
export type {
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
} from './event-store.js';
export type { LoadSnapshotOptions, Snapshot, SnapshotStore } from './snapshot-store.js';
export type { CheckpointStore } from './checkpoint-store.js';
export {
  ConcurrencyError,
  DuplicateEventError,
  SerializationError,
  StoreClosedError,
  StoreUnavailableError,
  StreamNotFoundError,
  StrataError,
  ValidationError,
} from './errors/index.js';
export { iterateAll, iterateStream } from './iterate.js';
export type { IterateAllOptions, IterateStreamOptions } from './iterate.js';
export { uuidv7 } from './uuid.js';

// For adapter authors: the shared checks that keep every adapter's semantics identical.
export { assertJsonValue } from './json-value.js';
export { DEFAULT_STREAM_TYPE, MAX_NAME_LENGTH, assertName, prepareAppend } from './prepare-append.js';
export type { PreparedAppend, PreparedEvent } from './prepare-append.js';
export { assertExpectedVersion, satisfiesExpectedVersion } from './expected-version.js';
export { resolveIdempotentRetry } from './idempotent-retry.js';
export type { StoredEventLocation } from './idempotent-retry.js';
export { assertVersion, normalizeReadAll, normalizeReadStream, normalizeReadStreams } from './read-options.js';
export type { NormalizedReadAll, NormalizedReadStream } from './read-options.js';
