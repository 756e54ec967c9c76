import { ValidationError } from './errors/index.js';
import type { ListKeysOptions, WrappedDataKey } from './key-store.js';
import { assertName } from './prepare-append.js';
import { MAX_LIST_LIMIT } from './snapshot-input.js';

const DEFAULT_KEY_LIMIT = 1_000;
/** Far above any wrapped 256-bit key; keeps a row from being used as a blob store. */
const MAX_WRAPPED_KEY_LENGTH = 4_096;

export function assertKeyVersion(version: unknown, path: string): asserts version is number {
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new ValidationError(path, 'must be a key version, a safe integer from 1');
  }
}

/** A copy of `key`, checked whole before a key store writes anything. */
export function prepareDataKey(key: WrappedDataKey, path = 'key'): WrappedDataKey {
  if (typeof key !== 'object' || key === null) throw new ValidationError(path, 'must be an object');
  assertName(key.subjectId, `${path}.subjectId`);
  assertKeyVersion(key.version, `${path}.version`);
  assertName(key.keyId, `${path}.keyId`);
  assertName(key.masterKeyId, `${path}.masterKeyId`);
  if (
    typeof key.wrappedKey !== 'string' ||
    key.wrappedKey.length === 0 ||
    key.wrappedKey.length > MAX_WRAPPED_KEY_LENGTH ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(key.wrappedKey)
  ) {
    throw new ValidationError(
      `${path}.wrappedKey`,
      `must be base64 text of 1 to ${MAX_WRAPPED_KEY_LENGTH} characters`,
    );
  }
  const { subjectId, version, keyId, masterKeyId, wrappedKey } = key;
  return { subjectId, version, keyId, masterKeyId, wrappedKey };
}

/** `options` of `listKeys` with the default limit, checked. */
export function normalizeListKeys(options: ListKeysOptions | undefined): {
  after: { subjectId: string; version: number } | undefined;
  limit: number;
} {
  if (options === undefined) return { after: undefined, limit: DEFAULT_KEY_LIMIT };
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object');
  }
  const limit = options.limit ?? DEFAULT_KEY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new ValidationError('options.limit', `must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const after = options.after;
  if (after !== undefined) {
    if (typeof after !== 'object' || after === null) {
      throw new ValidationError('options.after', 'must be { subjectId, version }');
    }
    assertName(after.subjectId, 'options.after.subjectId');
    assertKeyVersion(after.version, 'options.after.version');
  }
  return { after: after === undefined ? undefined : { ...after }, limit };
}

/**
 * Subject ids by UTF-16 code units, then versions: `MemoryKeyStore`'s order of `listKeys`, one of the
 * two the contract allows (the other compares subject ids by code points, as UTF-8 bytes sort).
 */
export function compareKeys(
  a: { subjectId: string; version: number },
  b: { subjectId: string; version: number },
): number {
  if (a.subjectId !== b.subjectId) return a.subjectId < b.subjectId ? -1 : 1;
  return a.version - b.version;
}
