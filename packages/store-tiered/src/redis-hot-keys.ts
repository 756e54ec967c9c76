import { ValidationError } from '@strata/core';

export const DEFAULT_HOT_KEY_PREFIX = 'strata:hot:';

/** The two keys of one stream's copy: its data (header and events) and its events' byte offsets. */
export interface HotCopyKeys {
  data: string;
  offsets: string;
}

/**
 * The key that bars a stream from being promoted for a while after one of its events was rewritten
 * in place (see `HotTier.invalidateRewritten`), with the copy's hash tag.
 */
export function hotRewriteBarKey(prefix: string, streamId: string): string {
  return `${prefix}{${escapeTag(streamId)}}:r`;
}

/**
 * Both keys of a stream share one hash tag, the escaped stream id, so a script touching both runs
 * on one Redis Cluster node. `{`, `}` and `%` are escaped so that a stream id holding braces cannot
 * end the tag early, and two stream ids never map to the same keys.
 */
export function hotCopyKeys(prefix: string, streamId: string): HotCopyKeys {
  const tag = `${prefix}{${escapeTag(streamId)}}`;
  return { data: `${tag}:d`, offsets: `${tag}:o` };
}

/**
 * The two keys of one stream's snapshot copy, with the same hash tag as its event copy (so one
 * script can delete both): the snapshot hash (generation, copy) and its pending writers.
 */
export function hotSnapshotKeys(prefix: string, streamId: string): { snapshot: string; writers: string } {
  const tag = `${prefix}{${escapeTag(streamId)}}`;
  return { snapshot: `${tag}:s`, writers: `${tag}:w` };
}

/**
 * The key prefix of one warm storage's copies: the tier's prefix, then the storage id (escaped
 * like a hash tag, so that it cannot open one), so two storages never share a key.
 */
export function storageKeyPrefix(prefix: string, storageId: string): string {
  if (typeof storageId !== 'string' || storageId.length === 0 || storageId.length > MAX_STORAGE_ID_LENGTH) {
    throw new ValidationError('storageId', `must be a string of 1 to ${MAX_STORAGE_ID_LENGTH} characters`);
  }
  return `${prefix}${escapeTag(storageId)}:`;
}

const MAX_STORAGE_ID_LENGTH = 255;

export function assertKeyPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new ValidationError('options.keyPrefix', 'must be a string');
  if (/[{}]/.test(prefix)) {
    throw new ValidationError('options.keyPrefix', 'must not contain { or } (the stream id is the hash tag)');
  }
}

function escapeTag(streamId: string): string {
  return streamId.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
