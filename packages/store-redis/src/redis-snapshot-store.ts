import {
  assertName,
  assertVersion,
  type LoadSnapshotOptions,
  type Snapshot,
  type SnapshotStore,
  ValidationError,
} from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Deletes the fields (versions) below ARGV[1] of the hash KEYS[1]; returns how many. */
const deleteBelowScript = new LuaScript(`
local below = tonumber(ARGV[1])
local doomed = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if tonumber(field) < below then doomed[#doomed + 1] = field end
end
for from = 1, #doomed, 1000 do
  redis.call('HDEL', KEYS[1], unpack(doomed, from, math.min(from + 999, #doomed)))
end
return #doomed
`);

/**
 * Snapshots in one hash per stream (`<prefix>{<stream>}:s`, field = stream version), in the
 * stream's cluster slot. Each value is `[stateVersion, createdAt ms, state]` as JSON.
 */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly connection: RedisConnection;

  constructor(options: RedisStoreOptions) {
    this.connection = new RedisConnection(options);
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    if (typeof snapshot !== 'object' || snapshot === null)
      throw new ValidationError('snapshot', 'must be an object');
    assertName(snapshot.streamId, 'snapshot.streamId');
    assertVersion(snapshot.version, 'snapshot.version');
    assertVersion(snapshot.stateVersion, 'snapshot.stateVersion');
    const createdAt = snapshot.createdAt ?? new Date();
    if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
      throw new ValidationError('snapshot.createdAt', 'must be a valid Date');
    }
    const stateJson = JSON.stringify(snapshot.state);
    if (stateJson === undefined) throw new ValidationError('snapshot.state', 'must be JSON-serializable');
    const value = `[${snapshot.stateVersion},${createdAt.getTime()},${stateJson}]`;
    const key = this.connection.keys.snapshots(snapshot.streamId);
    await this.connection.run((client) => client.hset(key, String(snapshot.version), value));
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    assertName(streamId, 'streamId');
    if (options.stateVersion !== undefined) assertVersion(options.stateVersion, 'options.stateVersion');
    if (options.maxVersion !== undefined) assertVersion(options.maxVersion, 'options.maxVersion');
    const key = this.connection.keys.snapshots(streamId);
    const saved = await this.connection.run((client) => client.hgetall(key));
    let best: { version: number; value: string } | undefined;
    for (const [field, value] of Object.entries(saved)) {
      const version = Number(field);
      if (options.maxVersion !== undefined && version > options.maxVersion) continue;
      if (best !== undefined && best.version >= version) continue;
      // The state version is the first number of the value: check it without parsing the state.
      if (options.stateVersion !== undefined && !value.startsWith(`[${options.stateVersion},`)) continue;
      best = { version, value };
    }
    if (best === undefined) return undefined;
    const [stateVersion, createdAt, state] = JSON.parse(best.value) as [number, number, unknown];
    return { streamId, version: best.version, stateVersion, state, createdAt: new Date(createdAt) };
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    assertName(streamId, 'streamId');
    if (options.beforeVersion !== undefined) assertVersion(options.beforeVersion, 'options.beforeVersion');
    const key = this.connection.keys.snapshots(streamId);
    if (options.beforeVersion === undefined) {
      return this.connection.run(async (client) => {
        const [[, count], [error]] = ((await client.multi().hlen(key).del(key).exec()) ?? []) as [
          [unknown, number],
          [Error | null],
        ];
        if (error) throw error;
        return count;
      });
    }
    const before = options.beforeVersion;
    return Number(await this.connection.run((client) => deleteBelowScript.run(client, [key], [before])));
  }

  /** Closes the connection the store opened from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
