import {
  assertName,
  type CheckpointState,
  type CheckpointStore,
  checkpointRefusal,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
} from '@strata/core';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/**
 * Checks the guards of a save and writes it, in one step on the server. KEYS[1] the checkpoints
 * hash; ARGV: name, position, expected ('' any, '-' absent, else a position), fence ('' none).
 * Numbers stay decimal strings: Lua's doubles cannot hold 64-bit positions exactly. Returns
 * `{1}` when written, `{0, stored value or ''}` when refused (the caller says why).
 */
const guardedSaveScript = new LuaScript(`
local stored = redis.call('HGET', KEYS[1], ARGV[1])
local position, fence = false, false
if stored then
  local colon = string.find(stored, ':', 1, true)
  if colon then
    position, fence = string.sub(stored, 1, colon - 1), string.sub(stored, colon + 1)
  else
    position = stored
  end
end
local function below(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local newFence, expected = ARGV[4], ARGV[3]
if newFence ~= '' and fence and below(newFence, fence) then return {0, stored} end
if expected == '-' and stored then return {0, stored} end
if expected ~= '' and expected ~= '-' and position ~= expected then return {0, stored or ''} end
if newFence == '' then newFence = fence end
if newFence then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. newFence)
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return {1}
`);

/**
 * Projection checkpoints in one hash, `<prefix>checkpoints`: field = name, value = position, or
 * `position:fence` once a fenced save has written it. A guarded save is one Lua script, so its check
 * and its write are one step for every client of the server (in a cluster the hash is one key in
 * one slot).
 */
export class RedisCheckpointStore implements CheckpointStore {
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;

  /** Standalone; the event store's own is `store.checkpoints` and shares its connection. */
  constructor(options: RedisStoreOptions, /** @internal */ shared?: RedisConnection) {
    this.connection = shared ?? new RedisConnection(options);
    this.ownsConnection = shared === undefined;
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    const key = this.connection.keys.checkpoints;
    return stateOf(await this.connection.run((client) => client.hget(key, name)));
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    const expected = save.expectedPosition === undefined ? '' : (save.expectedPosition?.toString() ?? '-');
    const args = [name, position.toString(), expected, save.fence?.toString() ?? ''];
    const key = this.connection.keys.checkpoints;
    const reply = (await this.connection.run((client) => guardedSaveScript.run(client, [key], args))) as [
      number,
      string?,
    ];
    if (reply[0] === 1) return;
    const refusal = checkpointRefusal(save, stateOf(reply[1] || null));
    // The script refused for the same reasons core checks, on the same value: it always finds one.
    if (refusal === undefined) throw new Error(`checkpoint script refused "${name}" without a reason`);
    throw refusal;
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

function stateOf(value: string | null): CheckpointState | undefined {
  if (value === null) return undefined;
  const [position, fence] = value.split(':');
  return { position: BigInt(position!), fence: fence === undefined ? null : BigInt(fence) };
}
