import { ValidationError } from './errors/validation-error.js';
import { assertJsonValue } from './json-value.js';
import { assertName } from './prepare-append.js';
import { assertVersion } from './read-options.js';
import type { ListSnapshotStreamsOptions, LoadSnapshotOptions, Snapshot } from './snapshot-store.js';

/** The largest stream version any store must hold (a signed 32-bit integer column). */
export const MAX_VERSION = 2_147_483_647;
/** The largest global position any store must hold (a signed 64-bit integer column). */
export const MAX_POSITION = 2n ** 63n - 1n;

/** A snapshot checked and filled in, ready for an adapter to write. */
export interface PreparedSnapshot {
  streamId: string;
  version: number;
  stateVersion: number;
  state: unknown;
  /** `JSON.stringify(state)`, computed once. */
  stateJson: string;
  createdAt: Date;
}

/** Validates `saveSnapshot` input completely. Adapter authors: call this first. */
export function prepareSnapshot(
  snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date },
): PreparedSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null)
    throw new ValidationError('snapshot', 'must be an object');
  assertName(snapshot.streamId, 'snapshot.streamId');
  assertStoredVersion(snapshot.version, 'snapshot.version');
  assertStoredVersion(snapshot.stateVersion, 'snapshot.stateVersion');
  assertJsonValue(snapshot.state, 'snapshot.state');
  const createdAt = snapshot.createdAt ?? new Date();
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
    throw new ValidationError('snapshot.createdAt', 'must be a valid Date');
  }
  return {
    streamId: snapshot.streamId,
    version: snapshot.version,
    stateVersion: snapshot.stateVersion,
    state: snapshot.state,
    stateJson: JSON.stringify(snapshot.state),
    createdAt,
  };
}

/** Validates `loadSnapshot` arguments; `maxVersion` is clamped to `MAX_VERSION`. */
export function normalizeLoadSnapshot(
  streamId: string,
  options: LoadSnapshotOptions = {},
): { stateVersion: number | undefined; maxVersion: number } {
  assertName(streamId, 'streamId');
  if (options.stateVersion !== undefined) assertVersion(options.stateVersion, 'options.stateVersion');
  const maxVersion = options.maxVersion ?? MAX_VERSION;
  assertVersion(maxVersion, 'options.maxVersion');
  return { stateVersion: options.stateVersion, maxVersion: Math.min(maxVersion, MAX_VERSION) };
}

/** Validates `deleteSnapshots` arguments; `beforeVersion` undefined means all. */
export function normalizeDeleteSnapshots(
  streamId: string,
  options: { beforeVersion?: number } = {},
): { beforeVersion: number | undefined } {
  assertName(streamId, 'streamId');
  if (options.beforeVersion !== undefined) assertVersion(options.beforeVersion, 'options.beforeVersion');
  return { beforeVersion: options.beforeVersion };
}

/** The most ids one `listSnapshotStreams` page may ask for. */
export const MAX_LIST_LIMIT = 10_000;

/** Validates `listSnapshotStreams` options; `limit` defaults to 1,000. */
export function normalizeListSnapshotStreams(options: ListSnapshotStreamsOptions = {}): {
  after: string | undefined;
  limit: number;
} {
  if (options.after !== undefined) assertName(options.after, 'options.after');
  const limit = options.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new ValidationError('options.limit', `must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  return { after: options.after, limit };
}

/** Validates a checkpoint position to save (checkpoint names are checked with `assertName`). */
export function assertCheckpointPosition(position: unknown): asserts position is bigint {
  if (typeof position !== 'bigint' || position < 0n || position > MAX_POSITION) {
    throw new ValidationError('position', 'must be a bigint from 0 to 2^63 - 1');
  }
}

function assertStoredVersion(value: unknown, path: string): asserts value is number {
  assertVersion(value, path);
  if (value > MAX_VERSION) throw new ValidationError(path, `must be at most ${MAX_VERSION}`);
}
