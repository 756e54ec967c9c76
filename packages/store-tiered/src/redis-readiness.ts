import type { RedisHotClient } from './redis-hot-client.js';

/** Statuses in which a connection is being set up and will soon be ready or fail. */
const CONNECTING = new Set(['wait', 'connecting', 'connect']);

/**
 * Resolves when the client can take a command. A connection being set up (the first one, or a
 * lazy client's) is waited for within `timeoutMs`; a connection that is down or reconnecting fails
 * at once, because a cache that is not there is a miss, not a reason to wait.
 */
export function whenReady(client: RedisHotClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (!CONNECTING.has(client.status)) {
    return Promise.reject(new Error(`the Redis hot tier is not connected (status: ${client.status})`));
  }
  return new Promise<void>((resolve, reject) => {
    const onReady = () => settle();
    const onDown = () => settle(new Error(`the Redis hot tier could not connect (status: ${client.status})`));
    const timer = setTimeout(
      () => settle(new Error(`the Redis hot tier did not connect within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('close', onDown);
      client.off('end', onDown);
      if (error === undefined) resolve();
      else reject(error);
    };
    client.once('ready', onReady);
    client.once('close', onDown);
    client.once('end', onDown);
    if (client.status === 'wait') {
      client.connect().catch(() => {
        // 'close' or 'end' reports the failure.
      });
    }
  });
}
