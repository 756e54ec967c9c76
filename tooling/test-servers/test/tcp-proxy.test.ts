import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portOf } from '../src/free-port.js';
import { TcpProxy } from '../src/index.js';

let echo: Server;
let proxy: TcpProxy;
const clients: Socket[] = [];

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  proxy = await TcpProxy.start(portOf(echo));
});
afterEach(() => {
  proxy.release();
  proxy.restore();
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await proxy?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

async function open(): Promise<Socket> {
  const socket = connect(proxy.port, proxy.host);
  socket.on('error', () => {});
  clients.push(socket);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

function echoOf(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (data) => resolve(data.toString()));
    socket.write(text);
  });
}

/** Whether the socket is closed by the other end within `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('TcpProxy', () => {
  it('passes bytes both ways and counts the chunks clients send', async () => {
    const socket = await open();
    const before = proxy.chunksFromClients;
    expect(await echoOf(socket, 'ping')).toBe('ping');
    expect(proxy.chunksFromClients - before).toBe(1);
  });

  it('routes a URL through itself, keeping all but host and port', () => {
    expect(proxy.route('postgres://user@db.example:5432/test?x=1')).toBe(
      `postgres://user@127.0.0.1:${proxy.port}/test?x=1`,
    );
  });

  it('starts in front of the server a URL names; without a port, only for a scheme it knows', async () => {
    const named = await TcpProxy.inFrontOf(`redis://127.0.0.1:${portOf(echo)}/0`);
    try {
      const socket = connect(named.port, named.host);
      socket.on('error', () => {});
      clients.push(socket);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      expect(await echoOf(socket, 'through')).toBe('through');
    } finally {
      await named.close();
    }
    expect(() => TcpProxy.inFrontOf('http://127.0.0.1/')).toThrow('no default port for http:');
  });

  it('cut() drops open connections and hangs up on new ones; restore() lets them through on the same port', async () => {
    const before = await open();
    const port = proxy.port;
    proxy.cut();
    expect(await closedWithin(before, 1_000)).toBe(true);
    const during = await open();
    expect(await closedWithin(during, 1_000)).toBe(true);

    proxy.restore();
    expect(proxy.port).toBe(port);
    expect(await echoOf(await open(), 'back')).toBe('back');
  });

  it('hold() keeps what clients send, on open and new connections, until release() sends it in order', async () => {
    const before = await open();
    proxy.hold();
    const during = await open();
    const received: string[] = [];
    for (const socket of [before, during]) socket.on('data', (data) => received.push(data.toString()));
    before.write('one,');
    during.write('other');
    before.write('two');
    // Nothing comes back while held: the echo server never got the bytes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);

    proxy.release();
    await until(() => received.join('').length === 'one,twoother'.length);
    expect(received.filter((text) => text !== 'other').join('')).toBe('one,two');
    expect(received).toContain('other');
    expect(await echoOf(await open(), 'after')).toBe('after');
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
