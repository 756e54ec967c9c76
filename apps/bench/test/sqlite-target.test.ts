import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteSchema, seedSqlite } from '../src/targets/sqlite-bulk-seed.js';
import { SqliteMinimalStore } from '../src/targets/sqlite-minimal-store.js';
import { sqliteTarget } from '../src/targets/sqlite-target.js';
import { benchEvent } from '../src/workloads/bench-events.js';
import { expectEveryWorkloadRuns } from './support/every-workload.js';
import { expectInputCheckedFirst } from './support/floor-input-checks.js';
import { expectStoreFields } from './support/floor-read-fields.js';
import { expectFirstStreamTypeKept } from './support/floor-stream-type.js';
import { useTempTmpdir } from './support/temp-tmpdir.js';

describe('the sqlite target', () => {
  const dir = useTempTmpdir();

  it('seeds the minimal store with the events the store reads, in the same global order', async () => {
    const path = join(dir(), 'seeded.db');
    createSqliteSchema(path);
    seedSqlite(path, { streamIds: ['s-a', "s'b", 's-c'], eventsPerStream: 4 });
    const store = createSqliteEventStore({ database: path });
    const minimal = SqliteMinimalStore.open(path, 'NORMAL');
    try {
      const same = (e: {
        streamId: string;
        version: number;
        type: string;
        data: unknown;
        metadata: unknown;
      }) => [e.streamId, e.version, e.type, e.data, e.metadata];
      const log = await store.readAll({ limit: 100 });
      expect(log).toHaveLength(12);
      expect((await minimal.readAllEvents(0n, 100)).map(same)).toEqual(log.map(same));
      // The minimal store goes on from the seeded versions.
      await expect(minimal.append("s'b", [log[0]!], 3)).rejects.toThrow("stream s'b is at 4, not 3");
    } finally {
      await minimal.close();
      await store.close();
    }
  });

  it('seeds the floor with the events the store reads, returns them as the store does, and appends after them', async () => {
    const path = join(dir(), 'floor.db');
    createSqliteSchema(path);
    seedSqlite(path, { streamIds: ['s-a', "s'b"], eventsPerStream: 3 });
    const store = createSqliteEventStore({ database: path });
    const floor = SqliteMinimalStore.openFloor(path, 'NORMAL');
    try {
      await expectStoreFields(floor, store, "s'b", 6);
      const before = Date.now();
      await floor.append('s-new', [{ ...benchEvent(0), schemaVersion: 2 }], 0);
      const [added] = await floor.readStreamEvents('s-new');
      expect(added?.schemaVersion).toBe(2);
      expect(added?.id).not.toBe(added?.position.toString());
      expect(added?.recordedAt.getTime()).toBeGreaterThanOrEqual(before);
      // Positions past 2^53 come back exact, though the floor reads its integers as numbers.
      const far = 2n ** 53n + 5n;
      const db = new BetterSqlite3(path);
      try {
        db.prepare(
          `INSERT INTO floor_events (position, id, stream_id, stream_type, event_type, data, metadata,
             schema_version, version, occurred_at, recorded_at)
           VALUES (?, 'far-id', 's-far', 'default', 't', '{}', '{}', 1, 1, 0, 0)`,
        ).run(far);
      } finally {
        db.close();
      }
      await floor.append('s-far', [benchEvent(1)], 1);
      expect((await floor.readStreamEvents('s-far')).map((e) => e.position)).toEqual([far, far + 1n]);
      expect((await floor.readAllEvents(far - 1n, 10)).map((e) => e.id)).toContain('far-id');
    } finally {
      await floor.close();
      await store.close();
    }
  });

  it("has the floor keep the contract's rules (input checked before any write, a stream's type fixed by its first append), which the minimal store does not", async () => {
    const path = join(dir(), 'types.db');
    createSqliteSchema(path);
    const floor = SqliteMinimalStore.openFloor(path, 'NORMAL');
    const minimal = SqliteMinimalStore.open(path, 'NORMAL');
    try {
      await expectInputCheckedFirst(floor);
      await expectFirstStreamTypeKept(floor);
      await expect(expectFirstStreamTypeKept(minimal)).rejects.toThrow(/ledger/);
    } finally {
      await minimal.close();
      await floor.close();
    }
  });

  it('runs every workload on every side and removes every file it made', async () => {
    for (const synchronous of ['NORMAL', 'FULL'] as const) {
      const target = sqliteTarget(synchronous);
      try {
        await expectEveryWorkloadRuns(target);
      } finally {
        await target.dispose?.();
      }
    }
    expect(readdirSync(dir())).toEqual([]);
  });
});
