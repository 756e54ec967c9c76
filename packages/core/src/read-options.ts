import { ValidationError } from './errors/validation-error.js';
import type { ReadAllOptions, ReadStreamOptions } from './event-store.js';
import { assertName } from './prepare-append.js';

export interface NormalizedReadStream {
  fromVersion: number;
  /** `Number.MAX_SAFE_INTEGER` when open-ended. */
  toVersion: number;
  /** `undefined` when unlimited. */
  limit: number | undefined;
  direction: 'forward' | 'backward';
}

export interface NormalizedReadAll {
  after: bigint;
  limit: number | undefined;
  types: string[] | undefined;
}

/** Validates `readStream` arguments and fills in defaults. Adapter authors: call this first. */
export function normalizeReadStream(streamId: string, options: ReadStreamOptions = {}): NormalizedReadStream {
  assertName(streamId, 'streamId');
  const fromVersion = options.fromVersion ?? 1;
  assertVersion(fromVersion, 'options.fromVersion');
  const toVersion = options.toVersion ?? Number.MAX_SAFE_INTEGER;
  assertVersion(toVersion, 'options.toVersion');
  const limit = normalizeLimit(options.limit);
  const direction = options.direction ?? 'forward';
  if (direction !== 'forward' && direction !== 'backward') {
    throw new ValidationError('options.direction', "must be 'forward' or 'backward'");
  }
  return { fromVersion: Math.max(fromVersion, 1), toVersion, limit, direction };
}

/** Validates `readStreams` arguments; returns the distinct ids in the order given. */
export function normalizeReadStreams(
  streamIds: string[],
  fromVersion: number | undefined,
): {
  streamIds: string[];
  fromVersion: number;
} {
  if (!Array.isArray(streamIds)) throw new ValidationError('streamIds', 'must be an array');
  streamIds.forEach((id, i) => {
    assertName(id, `streamIds[${i}]`);
  });
  const from = fromVersion ?? 1;
  assertVersion(from, 'options.fromVersion');
  return { streamIds: [...new Set(streamIds)], fromVersion: Math.max(from, 1) };
}

/** Validates `readAll` arguments and fills in defaults. Adapter authors: call this first. */
export function normalizeReadAll(options: ReadAllOptions = {}): NormalizedReadAll {
  const after = options.after ?? 0n;
  if (typeof after !== 'bigint' || after < 0n)
    throw new ValidationError('options.after', 'must be a bigint >= 0');
  const limit = normalizeLimit(options.limit);
  let types: string[] | undefined;
  if (options.types !== undefined) {
    if (!Array.isArray(options.types)) throw new ValidationError('options.types', 'must be an array');
    options.types.forEach((t, i) => {
      assertName(t, `options.types[${i}]`);
    });
    types = [...new Set(options.types)];
  }
  return { after, limit, types };
}

function normalizeLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new ValidationError('options.limit', 'must be an integer >= 0');
  return limit;
}

/** Stream versions: integers >= 0. */
export function assertVersion(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(path, `must be an integer >= 0 (got ${String(value)})`);
  }
}
