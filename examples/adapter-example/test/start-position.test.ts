import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_POSITION, PositionsExhaustedError, ValidationError } from '@strata/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonLinesEventStore } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'strata-jsonl-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a log that starts after a given position', () => {
  it('keeps its start for every later opener, whatever they pass', async () => {
    const directory = join(root, 'kept');
    const first = await openJsonLinesEventStore({ directory, lastPosition: 2n ** 53n });
    expect((await first.append('s', [{ type: 't', data: 1 }])).lastPosition).toBe(2n ** 53n + 1n);
    const later = await openJsonLinesEventStore({ directory, lastPosition: 5n });
    expect((await later.readAll()).map((e) => e.position)).toEqual([2n ** 53n + 1n]);
  });

  it('refuses an append past 2^63 - 1 and writes nothing', async () => {
    const store = await openJsonLinesEventStore({
      directory: join(root, 'full'),
      lastPosition: MAX_POSITION - 1n,
    });
    await expect(
      store.append('s', [
        { type: 't', data: 1 },
        { type: 't', data: 2 },
      ]),
    ).rejects.toThrow(PositionsExhaustedError);
    expect(await store.streamVersion('s')).toBe(0);
  });

  it('rejects a start that is not a position before touching the disk', async () => {
    await expect(
      openJsonLinesEventStore({ directory: join(root, 'bad'), lastPosition: -1n }),
    ).rejects.toThrow(ValidationError);
  });
});
