import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-store-options.js';

/**
 * A Lua script run by SHA. The first run on a server (or after a restart or `SCRIPT FLUSH`) gets
 * NOSCRIPT and sends the source once with EVAL, which also caches it; later runs send only the SHA.
 * NOSCRIPT means the script did not run, so resending is safe even for the append.
 *
 * Arguments go as one array: spreading a 10,000-event batch into a call would overflow the stack.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  // Not async, and no await: every promise layer on the append path is CPU on every call.
  run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return client.call('evalsha', [this.sha, keys.length, ...keys, ...args]).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return client.call('eval', [this.source, keys.length, ...keys, ...args]);
    });
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
