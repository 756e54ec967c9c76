import type { RecordedEvent } from '@strata/core';
import type { Cluster } from 'ioredis';
import { decodeEvents } from './event-codec.js';
import { keySlot } from './key-slot.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisClient } from './redis-store-options.js';

/** Streams per pipeline: one round trip each, and replies of bounded size. */
const CHUNK_SIZE = 500;

/**
 * `readStreams` as one pipelined `LRANGE` per stream, one round trip per chunk. A cluster client
 * only pipelines keys served by one node, so there each chunk is split by node and the per-node
 * pipelines run at once.
 */
export async function readStreamsPipelined(
  connection: RedisConnection,
  streamIds: readonly string[],
  fromVersion: number,
): Promise<Map<string, RecordedEvent[]>> {
  const result = new Map<string, RecordedEvent[]>();
  for (let start = 0; start < streamIds.length; start += CHUNK_SIZE) {
    const chunk = streamIds.slice(start, start + CHUNK_SIZE);
    await connection.run(async (client) => {
      const groups = client.isCluster ? groupByNode(client as Cluster, connection, chunk) : [chunk];
      await Promise.all(
        groups.map(async (group) => {
          const replies = await readGroup(client, connection, group, fromVersion);
          group.forEach((streamId, i) => {
            result.set(streamId, decodeEvents(replies[i]!, streamId));
          });
        }),
      );
    });
  }
  // Map order follows the request, whatever order the node groups answered in.
  return new Map(streamIds.map((id) => [id, result.get(id) ?? []]));
}

async function readGroup(
  client: RedisClient,
  connection: RedisConnection,
  streamIds: readonly string[],
  fromVersion: number,
): Promise<string[][]> {
  const pipeline = client.pipeline();
  for (const streamId of streamIds) pipeline.lrange(connection.keys.events(streamId), fromVersion - 1, -1);
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, entries]) => {
    if (error) throw error;
    return entries as string[];
  });
}

function groupByNode(
  cluster: Cluster,
  connection: RedisConnection,
  streamIds: readonly string[],
): string[][] {
  const groups = new Map<string, string[]>();
  for (const streamId of streamIds) {
    const node = cluster.slots[keySlot(connection.keys.events(streamId))]?.join(';') ?? '';
    const group = groups.get(node);
    if (group === undefined) groups.set(node, [streamId]);
    else group.push(streamId);
  }
  return [...groups.values()];
}
