import {
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  normalizeDeleteSnapshots,
  normalizeListSnapshotStreams,
  normalizeLoadSnapshot,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Deletes the fields (versions) below ARGV[1] of the hash KEYS[1]; returns how many, and how many are left. */
const deleteBelowScript = new LuaScript(`
local below = tonumber(ARGV[1])
local doomed = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if tonumber(field) < below then doomed[#doomed + 1] = field end
end
for from = 1, #doomed, 1000 do
  redis.call('HDEL', KEYS[1], unpack(doomed, from, math.min(from + 999, #doomed)))
end
return {#doomed, redis.call('HLEN', KEYS[1])}
`);

/**
 * Snapshots in one hash per stream (`<prefix>{<stream>}:s`, field = stream version), in the
 * stream's cluster slot. Each value is `[stateVersion, createdAt ms, state]` as JSON.
 *
 * The streams that have snapshots are also kept in one sorted set, for `listSnapshotStreams`. In a
 * cluster it lives in another slot than the stream's hash, so the two are written one after the
 * other: a save racing a delete of all of a stream's snapshots can leave the stream listed with
 * none (retention then finds nothing to prune) or unlisted until its next snapshot.
 */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;

  /** Standalone; the event store's own is `store.snapshots` and shares its connection. */
  constructor(options: RedisStoreOptions, /** @internal */ shared?: RedisConnection) {
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const { streamId, version, stateVersion, stateJson, createdAt } = prepareSnapshot(snapshot);
    const value = `[${stateVersion},${createdAt.getTime()},${stateJson}]`;
    const key = this.connection.keys.snapshots(streamId);
    const { snapshotStreams } = this.connection.keys;
    await this.connection.run(async (client) => {
      await client.hset(key, String(version), value);
      await client.zadd(snapshotStreams, 0, streamId);
    });
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    const { after, limit } = normalizeListSnapshotStreams(options);
    const { snapshotStreams } = this.connection.keys;
    return this.connection.run((client) =>
      client.zrangebylex(snapshotStreams, after === undefined ? '-' : `(${after}`, '+', 'LIMIT', 0, limit),
    );
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    const key = this.connection.keys.snapshots(streamId);
    const saved = await this.connection.run((client) => client.hgetall(key));
    let best: { version: number; value: string } | undefined;
    for (const [field, value] of Object.entries(saved)) {
      const version = Number(field);
      if (version > maxVersion) continue;
      if (best !== undefined && best.version >= version) continue;
      // The state version is the first number of the value: check it without parsing the state.
      if (stateVersion !== undefined && !value.startsWith(`[${stateVersion},`)) continue;
      best = { version, value };
    }
    if (best === undefined) return undefined;
    const [savedStateVersion, createdAt, state] = JSON.parse(best.value) as [number, number, unknown];
    return {
      streamId,
      version: best.version,
      stateVersion: savedStateVersion,
      state,
      createdAt: new Date(createdAt),
    };
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    const key = this.connection.keys.snapshots(streamId);
    const { snapshotStreams } = this.connection.keys;
    if (beforeVersion === undefined) {
      return this.connection.run(async (client) => {
        const [[, count], [error]] = ((await client.multi().hlen(key).del(key).exec()) ?? []) as [
          [unknown, number],
          [Error | null],
        ];
        if (error) throw error;
        await client.zrem(snapshotStreams, streamId);
        return count;
      });
    }
    return this.connection.run(async (client) => {
      const [deleted, left] = (await deleteBelowScript.run(client, [key], [beforeVersion])) as [
        number,
        number,
      ];
      if (Number(left) === 0) await client.zrem(snapshotStreams, streamId);
      return Number(deleted);
    });
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    // `store.snapshots` and `store.checkpoints` close with their event store.
    if (this.ownsConnection) await this.connection.close();
  }
}
