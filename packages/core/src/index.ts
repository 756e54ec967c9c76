export type { AggregateRepositoryOptions, LoadOptions, UpdateOptions } from './aggregate-repository.js';
export { AggregateRepository } from './aggregate-repository.js';
export type { AnyAggregate, DomainEvent, EventEnvelope, EventHandlers } from './aggregate-root.js';
export { AggregateRoot } from './aggregate-root.js';
export type {
  AggregateSnapshots,
  LoadReport,
  RestoredState,
  SavedAggregate,
  SnapshotLookup,
} from './aggregate-snapshots.js';
export { normalizeAppendHookOptions } from './append-hook-options-input.js';
export type { AppendListener, AppendNotice, AppendNotifier } from './append-notifier.js';
export { withRecordedEvents } from './append-result.js';
export type {
  AppendTransactionContext,
  AppendTransactionHook,
  AppendTransactionHookOptions,
  AppendTransactionHooks,
  CheckpointAdvanceRequest,
} from './append-transaction-hooks.js';
export type { Awaitable } from './awaitable.js';
export { isPromiseLike, thenOrNow } from './awaitable.js';
export { CallDeadlines, type PendingCall } from './call-deadlines.js';
export type { PreparedCheckpointSave } from './checkpoint-input.js';
export { checkpointAfter, checkpointRefusal, prepareSaveCheckpoint } from './checkpoint-input.js';
export type { CheckpointState, CheckpointStore, SaveCheckpointOptions } from './checkpoint-store.js';
export type { DeadLetterRowValues } from './dead-letter-input.js';
export {
  assertDeadLetterKey,
  deadLetterErrorOf,
  deadLetterFromRow,
  deadLetterRowValues,
  MAX_DEAD_LETTER_TEXT,
  normalizeListDeadLetters,
  prepareDeadLetter,
} from './dead-letter-input.js';
export type {
  DeadLetter,
  DeadLetterError,
  DeadLetterStore,
  ListDeadLettersOptions,
} from './dead-letter-store.js';
export {
  CheckpointConflictError,
  CheckpointFencedError,
  ConcurrencyError,
  DuplicateEventError,
  EventRewriteConflictError,
  LeaseHeldError,
  PositionsExhaustedError,
  SerializationError,
  StoreClosedError,
  type StoredEventIdentity,
  StoreUnavailableError,
  StrataError,
  StreamNotFoundError,
  UnsupportedOperationError,
  ValidationError,
} from './errors/index.js';
export type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from './event.js';
export type { EventRegistryOptions, EventTypeOptions } from './event-registry.js';
export { EventRegistry } from './event-registry.js';
export type {
  BatchRewritableEventStore,
  EventRewrite,
  EventRewriter,
  RewritableEventStore,
} from './event-rewrite.js';
export { supportsEventRewrite, supportsEventRewriteBatch } from './event-rewrite.js';
export type {
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
} from './event-store.js';
export { assertExpectedVersion, satisfiesExpectedVersion } from './expected-version.js';
export { HeldLease } from './held-lease.js';
export type { StoredEventLocation } from './idempotent-retry.js';
export { resolveIdempotentRetry } from './idempotent-retry.js';
export type { IterateAllOptions, IterateStreamOptions } from './iterate.js';
export { iterateAll, iterateStream } from './iterate.js';
// For adapter authors: the shared checks that keep every adapter's semantics identical.
export { assertJsonValue } from './json-value.js';
export { assertKeyVersion, compareKeys, normalizeListKeys, prepareDataKey } from './key-input.js';
export type { KeyStore, ListKeysOptions, WrappedDataKey } from './key-store.js';
export type { Lease, LeaseEnd, LeaseProvider } from './lease-provider.js';
export { assertPositionAvailable } from './position-ceiling.js';
export type { PreparedAppend, PreparedEvent } from './prepare-append.js';
export {
  assertName,
  DEFAULT_STREAM_TYPE,
  hasUnstorableCharacters,
  MAX_NAME_LENGTH,
  MAX_PAYLOAD_BYTES,
  MAX_SCHEMA_VERSION,
  prepareAppend,
  utf8ByteLength,
} from './prepare-append.js';
export type { PreparedRewrite } from './prepare-rewrite.js';
export { prepareRewrite, rewriteConflict, rewriteGuardHolds } from './prepare-rewrite.js';
export {
  MAX_REWRITE_BATCH_BYTES,
  MAX_REWRITE_BATCH_SIZE,
  prepareRewrites,
  rewriteBytes,
} from './prepare-rewrites.js';
export type { NormalizedReadAll, NormalizedReadStream } from './read-options.js';
export {
  assertVersion,
  normalizeReadAll,
  normalizeReadStream,
  normalizeReadStreams,
} from './read-options.js';
export { recordedEventsOf, type WrittenBatch } from './recorded-events.js';
export type {
  AppendChannelHandlers,
  AppendChannelOpener,
  OpenAppendChannel,
  SharedAppendListenerOptions,
} from './shared-append-listener.js';
export { SharedAppendListener } from './shared-append-listener.js';
export type { PreparedSnapshot } from './snapshot-input.js';
export {
  assertCheckpointPosition,
  MAX_LIST_LIMIT,
  MAX_POSITION,
  MAX_VERSION,
  normalizeDeleteSnapshots,
  normalizeListSnapshotStreams,
  normalizeLoadSnapshot,
  prepareSnapshot,
} from './snapshot-input.js';
export type {
  ListSnapshotStreamsOptions,
  LoadSnapshotOptions,
  Snapshot,
  SnapshotStore,
} from './snapshot-store.js';
export type { TransactionalCheckpoints } from './transactional-checkpoints.js';
export { uuidv7 } from './uuid.js';
export type { ValueType } from './value-codec.js';
export { ValueCodec } from './value-codec.js';
