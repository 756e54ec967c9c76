import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openJsonLinesEventStore } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'strata-jsonl-events-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('an append returns the events it wrote; a retry, which wrote nothing, returns none', async () => {
  const store = await openJsonLinesEventStore({ directory: join(root, randomUUID()) });
  await store.append('s', [{ type: 'first', data: 0 }]);
  const batch = [
    { id: randomUUID(), type: 'tested', data: { n: 1 } },
    { id: randomUUID(), type: 'tested', data: { n: 2 } },
  ];
  const written = await store.append('s', batch);
  expect(written.events).toEqual(await store.readStream('s', { fromVersion: 2 }));
  expect(written.events?.map((e) => e.version)).toEqual([2, 3]);

  const retried = await store.append('s', batch);
  expect(retried).toEqual(written);
  expect(retried.events).toBeUndefined();
  await store.close();
});
