import {
  EventRewriteConflictError,
  type StoredEventIdentity,
} from './errors/event-rewrite-conflict-error.js';
import { ValidationError } from './errors/validation-error.js';
import type { EventRewrite } from './event-rewrite.js';
import { assertJsonValue } from './json-value.js';
import { assertName, assertPayloadSize, MAX_SCHEMA_VERSION } from './prepare-append.js';
import { MAX_POSITION, MAX_VERSION } from './snapshot-input.js';

/** A rewrite checked completely, with its payload as JSON text, ready for an adapter to write. */
export interface PreparedRewrite {
  streamId: string;
  version: number;
  id: string;
  position: bigint;
  expectedType: string;
  expectedSchemaVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  dataJson: string;
  metadataJson: string;
}

/**
 * Validates a `rewriteEvent` call with the rules of `prepareAppend` (names, schema versions, JSON
 * payloads and `MAX_PAYLOAD_BYTES`), so a store refuses bad input before any write. Adapter
 * authors: call this first in `rewriteEvent`. `path` prefixes the `ValidationError`'s path
 * (`rewrites[3]` in a batch).
 */
export function prepareRewrite(rewrite: EventRewrite, path = 'rewrite'): PreparedRewrite {
  if (typeof rewrite !== 'object' || rewrite === null) throw new ValidationError(path, 'must be an object');
  const { streamId, version, id, position, expectedType, expectedSchemaVersion, type, schemaVersion } =
    rewrite;
  assertName(streamId, `${path}.streamId`);
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new ValidationError(`${path}.version`, `must be an integer from 1 to ${MAX_VERSION}`);
  }
  assertName(id, `${path}.id`);
  if (typeof position !== 'bigint' || position < 1n || position > MAX_POSITION) {
    throw new ValidationError(`${path}.position`, 'must be a bigint from 1 to 2^63 - 1');
  }
  assertName(expectedType, `${path}.expectedType`);
  assertSchemaVersion(expectedSchemaVersion, `${path}.expectedSchemaVersion`);
  assertName(type, `${path}.type`);
  assertSchemaVersion(schemaVersion, `${path}.schemaVersion`);
  assertJsonValue(rewrite.data, `${path}.data`);
  const { metadata } = rewrite;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new ValidationError(`${path}.metadata`, 'must be a plain object (pass the stored one to keep it)');
  }
  assertJsonValue(metadata, `${path}.metadata`);
  const dataJson = JSON.stringify(rewrite.data);
  const metadataJson = JSON.stringify(metadata);
  assertPayloadSize(dataJson, metadataJson, path);
  return {
    streamId,
    version,
    id,
    position,
    expectedType,
    expectedSchemaVersion,
    type,
    schemaVersion,
    // Copies: the store writes what was checked, whatever the caller does with its objects meanwhile.
    data: JSON.parse(dataJson),
    metadata: JSON.parse(metadataJson),
    dataJson,
    metadataJson,
  };
}

function assertSchemaVersion(value: unknown, path: string): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > MAX_SCHEMA_VERSION) {
    throw new ValidationError(path, `must be an integer from 1 to ${MAX_SCHEMA_VERSION}`);
  }
}

/** True when the stored event is the one the rewrite expects: same id, position, type and schema version. */
export function rewriteGuardHolds(
  rewrite: PreparedRewrite,
  stored: StoredEventIdentity | undefined,
): boolean {
  return (
    stored !== undefined &&
    stored.id === rewrite.id &&
    stored.position === rewrite.position &&
    stored.type === rewrite.expectedType &&
    stored.schemaVersion === rewrite.expectedSchemaVersion
  );
}

/** The error for a rewrite whose guard did not hold, given what the store found at that version. */
export function rewriteConflict(
  rewrite: PreparedRewrite,
  stored: StoredEventIdentity | undefined,
): EventRewriteConflictError {
  const expected = {
    id: rewrite.id,
    position: rewrite.position,
    type: rewrite.expectedType,
    schemaVersion: rewrite.expectedSchemaVersion,
  };
  // Only the four fields that identify it, whatever the adapter passed (a whole decoded event, say).
  const actual = stored && {
    id: stored.id,
    position: stored.position,
    type: stored.type,
    schemaVersion: stored.schemaVersion,
  };
  return new EventRewriteConflictError(rewrite.streamId, rewrite.version, expected, actual);
}
