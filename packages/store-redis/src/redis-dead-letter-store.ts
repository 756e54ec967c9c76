import {
  assertDeadLetterKey,
  assertName,
  type DeadLetter,
  type DeadLetterStore,
  type ListDeadLettersOptions,
  normalizeListDeadLetters,
  prepareDeadLetter,
} from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** KEYS: the letters hash, the order set; ARGV: position, padded position, letter. */
const addScript = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
return 1
`);

/** KEYS: the letters hash, the order set; ARGV: position, padded position. Returns 1 if it was there. */
const removeScript = new LuaScript(`
redis.call('ZREM', KEYS[2], ARGV[2])
return redis.call('HDEL', KEYS[1], ARGV[1])
`);

/** What the hash keeps of a letter: everything but the projector and position, which are its key. */
interface StoredLetter {
  eventId: string;
  streamId: string;
  version: number;
  eventType: string;
  error: DeadLetter['error'];
  attempts: number;
  failedAt: number;
}

/**
 * Projectors' dead letters: per projector, a hash position -> letter and a sorted set of the
 * positions for paging, both under the projector's hash tag (one cluster slot), written together by
 * a script. The event store's own is `store.deadLetters` and shares its connection.
 */
export class RedisDeadLetterStore implements DeadLetterStore {
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;

  /** Standalone; the event store's own is `store.deadLetters` and shares its connection. */
  constructor(options: RedisStoreOptions, /** @internal */ shared?: RedisConnection) {
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    const l = prepareDeadLetter(letter);
    const stored: StoredLetter = {
      eventId: l.eventId,
      streamId: l.streamId,
      version: l.version,
      eventType: l.eventType,
      error: l.error,
      attempts: l.attempts,
      failedAt: l.failedAt.getTime(),
    };
    const keys = this.keysOf(l.projector);
    const args = [l.position.toString(), padded(l.position), JSON.stringify(stored)];
    await this.connection.run((client) => addScript.run(client, keys, args));
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const [letters, order] = this.keysOf(projector);
    return this.connection.run(async (client) => {
      const from = after === undefined ? '-' : `(${padded(after)}`;
      const members = await client.zrangebylex(order, from, '+', 'LIMIT', 0, limit);
      if (members.length === 0) return [];
      const positions = members.map((member) => BigInt(member));
      const values = await client.hmget(letters, ...positions.map(String));
      // A letter removed between the two reads is simply not listed.
      return positions.flatMap((position, i) => {
        const value = values[i];
        return value === null || value === undefined ? [] : [letterOf(projector, position, value)];
      });
    });
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    const [letters] = this.keysOf(projector);
    return this.connection.run((client) => client.hlen(letters));
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    const keys = this.keysOf(projector);
    const removed = await this.connection.run((client) =>
      removeScript.run(client, keys, [position.toString(), padded(position)]),
    );
    return Number(removed) > 0;
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }

  private keysOf(projector: string): [letters: string, order: string] {
    const { keys } = this.connection;
    return [keys.deadLetters(projector), keys.deadLetterOrder(projector)];
  }
}

/** 19 digits hold 2^63 - 1, so padded positions sort by bytes as they do by value. */
function padded(position: bigint): string {
  return position.toString().padStart(19, '0');
}

function letterOf(projector: string, position: bigint, value: string): DeadLetter {
  const stored = JSON.parse(value) as StoredLetter;
  return {
    projector,
    position,
    eventId: stored.eventId,
    streamId: stored.streamId,
    version: stored.version,
    eventType: stored.eventType,
    error: stored.error,
    attempts: stored.attempts,
    failedAt: new Date(stored.failedAt),
  };
}
