import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { freePort, freePorts } from '../src/index.js';

it('hands out distinct ports that can be listened on', async () => {
  const ports = await freePorts(6);
  expect(new Set(ports).size).toBe(6);
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
});
