import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnRedisServer } from '../src/index.js';

let server: OwnRedisServer;
beforeAll(async () => {
  server = await OwnRedisServer.start();
});
afterAll(async () => {
  await server?.kill();
});

/** What a raw connection gets for one PING within `ms`: the reply, `refused`, or `no answer`. */
function ping(ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no answer'), ms);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'error'),
    );
    socket.on('data', (data) => done(data.toString().trim()));
    socket.write('PING\r\n');
  });
}

describe('OwnRedisServer', () => {
  it('is killed at once, and restarts empty on the same port', async () => {
    const port = server.port;
    const redis = new Redis(server.url);
    await redis.set('k', 'v');
    redis.disconnect();
    await server.kill();
    expect(server.running).toBe(false);
    expect(await ping(1_000)).toBe('refused');

    await server.restart();
    expect(server.running).toBe(true);
    expect(server.port).toBe(port);
    const after = new Redis(server.url);
    expect(await after.get('k')).toBeNull();
    after.disconnect();
  });

  it('pause() freezes it (connections are accepted, nothing answers); resume() thaws it', async () => {
    server.pause();
    try {
      expect(await ping(300)).toBe('no answer');
    } finally {
      server.resume();
    }
    expect(await ping(1_000)).toBe('+PONG');
  });
});
