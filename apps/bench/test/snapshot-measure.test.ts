import type { SnapshotStore } from '@strata/core';
import { createMemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { inventoryRegistry } from '../src/snapshots/bench-inventory.js';
import { measureLoads } from '../src/snapshots/load-latency.js';
import { measureSaves } from '../src/snapshots/save-cost.js';
import type { OpenSnapshotTarget } from '../src/snapshots/snapshot-backends.js';
import type { SnapshotScale } from '../src/snapshots/snapshot-scale.js';

const TINY: SnapshotScale = {
  name: 'quick',
  rounds: 2,
  sizes: [30, 120],
  loads: { 30: 4, 120: 2 },
  warmupLoads: 1,
  seedBatch: 50,
  saveStreamEvents: 10,
  saves: 6,
};

function memoryTarget(snapshots: SnapshotStore = new MemorySnapshotStore()): OpenSnapshotTarget {
  return {
    events: createMemoryEventStore(),
    snapshots,
    locations: [],
    settle: async () => {},
    health: () => undefined,
    cleanup: async () => {},
  };
}

describe('measureLoads', () => {
  it('times every case the same number of times, from a snapshot at the head of each stream', async () => {
    const { loads, seeded } = await measureLoads(memoryTarget(), 'memory', inventoryRegistry(), TINY);
    expect(loads.map((l) => `${l.size}:${l.loadCase}:${l.latency.count}`)).toEqual([
      '30:replay:4',
      '30:snapshot:4',
      '30:snapshot-read:4',
      '30:restore:4',
      '30:tail-read:4',
      '120:replay:2',
      '120:snapshot:2',
      '120:snapshot-read:2',
      '120:restore:2',
      '120:tail-read:2',
    ]);
    // 30 movements fill part of the stock map: under 1 KiB, stored uncompressed.
    expect(seeded.map((s) => [s.size, s.codec])).toEqual([
      [30, 'none'],
      [120, 'gzip'],
    ]);
  });

  it('refuses to report a load "from the snapshot" that did not restore it', async () => {
    class ForgetfulSnapshotStore extends MemorySnapshotStore {
      override async loadSnapshot() {
        return undefined;
      }
    }
    await expect(
      measureLoads(memoryTarget(new ForgetfulSnapshotStore()), 'memory', inventoryRegistry(), TINY),
    ).rejects.toThrow('memory: 0 of 1 snapshot loads were restored from the snapshot');
  });
});

describe('measureSaves', () => {
  it('snapshots after every isolated save, never with snapshots off', async () => {
    const saves = await measureSaves(memoryTarget(), 'memory', inventoryRegistry(), TINY);
    expect(saves.map((s) => `${s.saveCase}/${s.mode}:${s.latency.count}`)).toEqual([
      'off/back-to-back:6',
      'off/isolated:6',
      'on/back-to-back:6',
      'on/isolated:6',
    ]);
    for (const s of saves.filter((s) => s.saveCase === 'off')) {
      expect(s).toMatchObject({ snapshotsPerSave: 0, write: undefined });
    }
    const isolated = saves.find((s) => s.saveCase === 'on' && s.mode === 'isolated')!;
    expect(isolated.snapshotsPerSave).toBe(1);
    expect(isolated.write?.count).toBe(6);
  });

  it('fails when a snapshot write fails, with the error as the cause', async () => {
    class FullSnapshotStore extends MemorySnapshotStore {
      override async saveSnapshot(): Promise<void> {
        throw new Error('disk full');
      }
    }
    const failing = measureSaves(memoryTarget(new FullSnapshotStore()), 'memory', inventoryRegistry(), TINY);
    await expect(failing).rejects.toThrow(/snapshot writes failed/);
    await expect(failing).rejects.toMatchObject({ cause: new Error('disk full') });
  });
});
