import { ValidationError } from '@strata/core';
import { keySlot, slotTag } from './key-slot.js';

export const DEFAULT_KEY_PREFIX = 'strata:';

/**
 * Key names. Every key of a stream carries the stream's hash tag, so one stream's keys always share
 * a Redis Cluster slot and the append script may touch them together:
 *
 * - `<prefix>{<stream>}:e`  list of the stream's encoded events, index = version - 1
 * - `<prefix>{<stream>}:t`  the stream type, fixed by the first append
 * - `<prefix>{<stream>}:i`  hash event id -> location (cluster mode: ids are checked per stream)
 * - `<prefix>{<stream>}:s`  hash version -> snapshot
 * - `<prefix>{<projector>}:dl`  hash position -> dead letter (JSON), and `<prefix>{<projector>}:dlo`
 *   the same positions in a sorted set (scores 0, members zero-padded to 19 digits: byte order is
 *   position order), for paging
 * - `<prefix>{<lease>}:lease`  a lease's holder token, with a TTL; `<prefix>{<lease>}:lf` its fence
 *   counter (INCR), both under the lease name's hash tag
 * - `<prefix>log`, `<prefix>ids`  standalone only: the global log and the store-wide id index
 * - `<prefix>start`  standalone only, optional: the position before the log's first event (a
 *   decimal string; absent means 0). Set it before the first append to continue another log.
 * - `<prefix>{<slot tag>}:seq`  cluster only: the position counter of one hash slot
 * - `<prefix>checkpoints`  hash name -> position
 * - `<prefix>appends`  not a key: the pub/sub channel of append notices (the last position)
 * - `<prefix>storage`  the storage id, set once (SET NX) by the first store that asks for it
 * - `<prefix>snapshot-streams`  sorted set (all scores 0, so ordered by bytes) of streams with snapshots
 * - `<prefix>{data-keys}:dk`  hash subject U+0000 padded version -> wrapped data key, and
 *   `<prefix>{data-keys}:dko` the same members in a sorted set (scores 0) for paging; one hash tag,
 *   so the key store's scripts touch both on one Cluster node
 */
export class RedisKeys {
  // Built once: the append sends several of these on every call.
  readonly log: string;
  readonly ids: string;
  readonly start: string;
  readonly checkpoints: string;
  /** The pub/sub channel of append notices: scoped by the prefix, like every key. */
  readonly appendChannel: string;
  readonly storage: string;
  readonly dataKeys: string;
  readonly dataKeyOrder: string;
  readonly snapshotStreams: string;

  constructor(readonly prefix: string) {
    this.log = `${prefix}log`;
    this.ids = `${prefix}ids`;
    this.start = `${prefix}start`;
    this.checkpoints = `${prefix}checkpoints`;
    this.appendChannel = `${prefix}appends`;
    this.storage = `${prefix}storage`;
    this.dataKeys = `${prefix}{data-keys}:dk`;
    this.dataKeyOrder = `${prefix}{data-keys}:dko`;
    this.snapshotStreams = `${prefix}snapshot-streams`;
  }

  events(streamId: string): string {
    return `${this.prefix}{${hashTagOf(streamId)}}:e`;
  }

  streamType(streamId: string): string {
    return `${this.prefix}{${hashTagOf(streamId)}}:t`;
  }

  streamIds(streamId: string): string {
    return `${this.prefix}{${hashTagOf(streamId)}}:i`;
  }

  snapshots(streamId: string): string {
    return `${this.prefix}{${hashTagOf(streamId)}}:s`;
  }

  deadLetters(projector: string): string {
    return `${this.prefix}{${hashTagOf(projector)}}:dl`;
  }

  /** The lease's holder token (with its TTL), and beside it (same slot) the counter of its fences. */
  lease(name: string): string {
    return `${this.prefix}{${hashTagOf(name)}}:lease`;
  }

  leaseFence(name: string): string {
    return `${this.prefix}{${hashTagOf(name)}}:lf`;
  }

  deadLetterOrder(projector: string): string {
    return `${this.prefix}{${hashTagOf(projector)}}:dlo`;
  }

  /** The slot-wide sequence key that lives in the same cluster slot as `streamId`'s keys. */
  slotSequence(streamId: string): { key: string; slot: number } {
    const slot = keySlot(this.events(streamId));
    return { key: `${this.prefix}{${slotTag(slot)}}:seq`, slot };
  }
}

const NEEDS_ESCAPE = /[%{}]/;

/**
 * The stream id as a hash tag. Redis ends a tag at the first `}`, so braces (and `%`, to keep the
 * mapping one-to-one) are percent-encoded: `a}b` and `a%7Db` get different keys, and no stream id
 * can end its tag early and land its keys in different slots.
 */
export function hashTagOf(streamId: string): string {
  // Most ids have none of the three: a test is cheaper than a replace that finds nothing.
  if (!NEEDS_ESCAPE.test(streamId)) return streamId;
  return streamId.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A prefix with a brace would become the hash tag of every key and defeat the per-stream tags; an
 * empty one leaves bare keys.
 */
export function assertKeyPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new ValidationError('options.keyPrefix', 'must be a string');
  // Without a prefix the store's keys are bare names (`log`, `ids`, `checkpoints`) that collide
  // with anything else on a shared server.
  if (prefix.trim() === '') {
    throw new ValidationError(
      'options.keyPrefix',
      'must not be empty or blank: the store\'s keys would be bare names such as "log" (the default is "strata:")',
    );
  }
  if (/[{}]/.test(prefix)) {
    throw new ValidationError('options.keyPrefix', 'must not contain "{" or "}" (the keys use hash tags)');
  }
}
