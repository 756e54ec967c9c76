import { StoreUnavailableError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

const event = (type: string) => ({ type, data: {} });

describe('lastPosition()', () => {
  it('is 0n on a new database, then the last appended position', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    expect(await store.lastPosition()).toBe(0n);
    await store.append('a', [event('x'), event('y')]);
    const { lastPosition } = await store.append('b', [event('x')]);
    expect(lastPosition).toBe(3n);
    expect(await store.lastPosition()).toBe(3n);
    await store.close();
  });

  it('comes back exact past 2^53 and keeps the floor when the newest events are deleted', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event('a')]);
    const raw = databases.raw(path);
    raw.prepare('UPDATE strata_position_floor SET position = ?').run(2n ** 53n + 10n);
    // The floor alone, before any event above it: the next append lands above it.
    expect(await store.lastPosition()).toBe(2n ** 53n + 10n);
    const { lastPosition } = await store.append('s', [event('b'), event('c')]);
    expect(lastPosition).toBe(2n ** 53n + 12n);
    expect(await store.lastPosition()).toBe(2n ** 53n + 12n);
    // max(position) alone would go back to 1 here, and a reader moved to it would read again.
    raw.prepare('DELETE FROM strata_events WHERE position > 1').run();
    expect(await store.lastPosition()).toBe(2n ** 53n + 12n);
    await store.close();
  });

  it('reports a missing floor row as StoreUnavailableError, as an append does', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event('a')]);
    databases.raw(path).prepare('DELETE FROM strata_position_floor').run();
    await expect(store.lastPosition()).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await store.close();
  });
});
