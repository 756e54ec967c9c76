import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '@strata/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonLinesEventStore } from '../src/index.js';

// What the conformance kit cannot know about: this adapter's own file format and lock.
const root = mkdtempSync(join(tmpdir(), 'strata-jsonl-failures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const event = (n: number) => ({ type: 'tested', data: { n } });

describe('JsonLinesEventStore file failures', () => {
  it('ignores the half line a crashed writer left, and the next append cuts it off', async () => {
    const directory = join(root, randomUUID());
    const store = await openJsonLinesEventStore({ directory });
    await store.append('s', [event(1)]);
    appendFileSync(join(directory, 'events.jsonl'), '{"streamId":"s","events":[{"id":"half');
    expect((await store.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }]);
    await store.append('s', [event(2)], { expectedVersion: 1 });
    const reopened = await openJsonLinesEventStore({ directory });
    expect((await reopened.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    await Promise.all([store.close(), reopened.close()]);
  });

  it('reports a corrupt line as StoreUnavailableError, not as a SyntaxError', async () => {
    const directory = join(root, randomUUID());
    mkdirSync(directory);
    writeFileSync(join(directory, 'events.jsonl'), 'not json\n');
    const store = await openJsonLinesEventStore({ directory });
    const error = await store.readAll().catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    await store.close();
  });

  it('gives up on a lock held too long with StoreUnavailableError and writes nothing', async () => {
    const directory = join(root, randomUUID());
    const store = await openJsonLinesEventStore({ directory, lockTimeoutMs: 50 });
    writeFileSync(join(directory, 'events.lock'), '');
    const error = await store.append('s', [event(1)]).catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    rmSync(join(directory, 'events.lock'));
    expect(await store.streamVersion('s')).toBe(0);
    await store.append('s', [event(1)], { expectedVersion: 'no_stream' });
    await store.close();
  });
});
