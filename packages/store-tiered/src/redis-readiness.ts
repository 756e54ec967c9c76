import type { RedisHotClient } from './redis-hot-client.js';

/** Statuses in which a connection is being set up and will soon be ready or fail. */
const CONNECTING = new Set(['wait', 'connecting', 'connect']);

/**
 * The connection being set up, per client: every call waiting for it shares one set of listeners.
 * One set per waiting call passed Node's limit of 10 listeners (and warned of a leak) as soon as
 * 11 calls came in while a lazy client connected.
 */
const settingUp = new WeakMap<RedisHotClient, Promise<void>>();

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
  const setup = settingUp.get(client) ?? watchSetup(client);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the Redis hot tier did not connect within ${timeoutMs} ms`)),
      timeoutMs,
    );
    setup.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Settles when the client is ready, or rejects when its connection closes or ends first. */
function watchSetup(client: RedisHotClient): Promise<void> {
  const setup = new Promise<void>((resolve, reject) => {
    const onReady = () => settle();
    const onDown = () => settle(new Error(`the Redis hot tier could not connect (status: ${client.status})`));
    const settle = (error?: Error) => {
      client.off('ready', onReady);
      client.off('close', onDown);
      client.off('end', onDown);
      settingUp.delete(client);
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
  // Every waiting call handles the outcome; a setup whose callers all timed out must not be unhandled.
  setup.catch(() => {});
  settingUp.set(client, setup);
  return setup;
}
