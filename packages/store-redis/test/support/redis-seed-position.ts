import type { Redis } from 'ioredis';

/**
 * Starts the standalone log under `keyPrefix` after `lastPosition`: its first event takes
 * `lastPosition + 1`. Only for a prefix whose log is still empty.
 */
export async function seedLastPosition(
  client: Redis,
  keyPrefix: string,
  lastPosition: bigint,
): Promise<void> {
  await client.set(`${keyPrefix}start`, lastPosition.toString());
}
