import { createHash } from 'node:crypto';
import type { HotArgument, RedisHotClient } from './redis-hot-client.js';

/**
 * A Lua script run by SHA. The first run on a server (or node, or after a restart) gets NOSCRIPT
 * and sends the source once with EVAL, which also caches it there; later runs send only the SHA.
 * NOSCRIPT means the script did not run, so resending it is safe.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script; with `buffers`, bulk replies come back as Buffers. */
  async run(
    client: RedisHotClient,
    keys: readonly string[],
    args: readonly HotArgument[],
    buffers = false,
  ): Promise<unknown> {
    // One array, never spread: a 10,000-event promotion would overflow the call stack.
    const tail: HotArgument[] = [keys.length, ...keys];
    for (const arg of args) tail.push(arg);
    const send = (command: string, list: HotArgument[]) =>
      buffers ? client.callBuffer(command, list) : client.call(command, list);
    try {
      return await send('evalsha', [this.sha, ...tail]);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return await send('eval', [this.source, ...tail]);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
