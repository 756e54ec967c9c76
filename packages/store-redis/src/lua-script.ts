import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
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
    const argv = [this.sha, keys.length, ...keys, ...args];
    return send(client, 'evalsha', argv).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      argv[0] = this.source;
      return send(client, 'eval', argv);
    });
  }
}

/**
 * What `client.call(name, argv)` sends, the client's key prefix included, without the argument
 * shuffling and option checks `call` makes on every command: about 1% of a serial one-event
 * append (measured against a local Redis).
 */
function send(client: RedisClient, name: string, argv: (string | number)[]): Promise<unknown> {
  const command = new Command(name, argv, { keyPrefix: client.options.keyPrefix, replyEncoding: 'utf8' });
  client.sendCommand(command);
  return command.promise;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
