import { assertCheckpointPosition, assertName, type CheckpointStore } from '@strata/core';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Projection checkpoints in one hash, `<prefix>checkpoints`: field = name, value = position. */
export class RedisCheckpointStore implements CheckpointStore {
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;

  /** Standalone; the event store's own is `store.checkpoints` and shares its connection. */
  constructor(options: RedisStoreOptions, /** @internal */ shared?: RedisConnection) {
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    const key = this.connection.keys.checkpoints;
    const value = await this.connection.run((client) => client.hget(key, name));
    return value === null ? undefined : BigInt(value);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    assertCheckpointPosition(position);
    const key = this.connection.keys.checkpoints;
    await this.connection.run((client) => client.hset(key, name, position.toString()));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    const key = this.connection.keys.checkpoints;
    await this.connection.run((client) => client.hdel(key, name));
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    // `store.snapshots` and `store.checkpoints` close with their event store.
    if (this.ownsConnection) await this.connection.close();
  }
}
