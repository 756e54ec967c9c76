import type { EventRegistry } from '@strata/core';
import { never, type SnapshotEvent, snapshotting } from '@strata/snapshots';
import { elapsedMs, type LatencySummary, summarizeLatency } from '../tiered/latency-stats.js';
import { perRound, rotated } from '../tiered/tiered-scale.js';
import { INVENTORY_STATE_VERSION, INVENTORY_STREAM_TYPE } from './bench-inventory.js';
import { inventoryRepository, inventoryStreamId } from './inventory-repositories.js';
import { seedInventory } from './inventory-seed.js';
import type { OpenSnapshotTarget } from './snapshot-backends.js';
import type { SnapshotScale } from './snapshot-scale.js';

export type LoadCase = 'replay' | 'snapshot' | 'snapshot-read' | 'restore' | 'tail-read';

/**
 * The two loads the issue compares, then three that show where a snapshot load's time goes: the
 * snapshot store's read alone (its query and JSON parse), the snapshotter's `restore` (that read,
 * then decompression and decoding), and the read of the events after the snapshot (none: it is at
 * the head). What a load from the snapshot takes beyond restore + tail read is the repository's.
 */
export const LOAD_CASES: readonly LoadCase[] = [
  'replay',
  'snapshot',
  'snapshot-read',
  'restore',
  'tail-read',
];

export const LOAD_CASE_LABELS: Readonly<Record<LoadCase, string>> = {
  replay: 'load, no snapshots option',
  snapshot: 'load from the snapshot',
  'snapshot-read': 'diagnostic: loadSnapshot',
  restore: 'diagnostic: restore (+ unzip, decode)',
  'tail-read': 'diagnostic: readStream after it',
};

export interface LoadCaseResult {
  target: string;
  size: number;
  loadCase: LoadCase;
  latency: LatencySummary;
}

/** The snapshot each stream was loaded from, as its `written` event reported it. */
export interface SeededSnapshot {
  target: string;
  size: number;
  codec: string;
  /** The encoded state's size, and what was stored after compression. */
  bytes: number;
  storedBytes: number;
  writeMs: number;
}

/** The repository's page size, so the diagnostic tail read asks what a load asks. */
const LOAD_PAGE = 1_000;

/**
 * `AggregateRepository.load` of streams of each length, without the `snapshots` option and with it
 * (strategy `never`: loads never write), from one snapshot at the head written with
 * `snapshotter.write`. Interleaved rounds, the case order rotated each round; the event store's
 * background work is awaited, untimed, before each load. Every load is checked: the version it
 * reached, and for the snapshot cases that the snapshotter restored the snapshot.
 */
export async function measureLoads(
  open: OpenSnapshotTarget,
  target: string,
  registry: EventRegistry,
  scale: SnapshotScale,
): Promise<{ loads: LoadCaseResult[]; seeded: SeededSnapshot[] }> {
  const written: Extract<SnapshotEvent, { type: 'written' }>[] = [];
  const snapshotter = snapshotting({
    store: open.snapshots,
    stateVersion: INVENTORY_STATE_VERSION,
    strategy: never,
    registry,
    onEvent: (event) => {
      if (event.type === 'written') written.push(event);
    },
  });
  const plain = inventoryRepository(open.events, registry);
  const snapshotted = inventoryRepository(open.events, registry, snapshotter);
  const loads: LoadCaseResult[] = [];
  const seeded: SeededSnapshot[] = [];

  for (const size of scale.sizes) {
    const id = `load-${size}`;
    const streamId = inventoryStreamId(id);
    await seedInventory(open.events, registry, streamId, size, scale.seedBatch);
    const head = await plain.load(id);
    await snapshotter.write({ streamId, ...head.toSnapshot() });
    const write = written.at(-1)!;
    seeded.push({
      target,
      size,
      codec: write.codec,
      bytes: write.bytes,
      storedBytes: write.storedBytes,
      writeMs: write.ms,
    });
    const fromSnapshot = await snapshotted.load(id);
    if (JSON.stringify(fromSnapshot.current) !== JSON.stringify(head.current)) {
      throw new Error(`${target}: the load from the snapshot of ${streamId} differs from the replay`);
    }

    const loadOnce = async (loadCase: LoadCase): Promise<void> => {
      switch (loadCase) {
        case 'replay':
        case 'snapshot': {
          const repository = loadCase === 'replay' ? plain : snapshotted;
          const { version } = await repository.load(id);
          if (version !== size) throw new Error(`${target}: ${loadCase} loaded ${streamId} at ${version}`);
          return;
        }
        case 'snapshot-read': {
          const snapshot = await open.snapshots.loadSnapshot(streamId);
          if (snapshot?.version !== size) throw new Error(`${target}: no snapshot of ${streamId} at ${size}`);
          return;
        }
        case 'restore': {
          const restored = await snapshotter.restore({ streamId, streamType: INVENTORY_STREAM_TYPE });
          if (restored?.version !== size)
            throw new Error(`${target}: no restored state of ${streamId} at ${size}`);
          return;
        }
        case 'tail-read': {
          const tail = await open.events.readStream(streamId, { fromVersion: size + 1, limit: LOAD_PAGE });
          if (tail.length !== 0)
            throw new Error(`${target}: ${tail.length} events after the head of ${streamId}`);
          return;
        }
      }
    };
    const block = async (loadCase: LoadCase, count: number, samples: number[]): Promise<void> => {
      const restoredBefore = snapshotter.stats.restored;
      for (let i = 0; i < count; i++) {
        await open.settle();
        const start = process.hrtime.bigint();
        await loadOnce(loadCase);
        samples.push(elapsedMs(start));
      }
      const restored = snapshotter.stats.restored - restoredBefore;
      if (restored !== (loadCase === 'snapshot' || loadCase === 'restore' ? count : 0)) {
        throw new Error(
          `${target}: ${restored} of ${count} ${loadCase} loads were restored from the snapshot`,
        );
      }
    };

    for (const loadCase of LOAD_CASES) await block(loadCase, scale.warmupLoads, []);
    const samples = new Map(LOAD_CASES.map((c) => [c, [] as number[]]));
    const perBlock = perRound(scale.loads[size] ?? 0, scale.rounds);
    for (let round = 0; round < scale.rounds; round++) {
      for (const loadCase of rotated(LOAD_CASES, round))
        await block(loadCase, perBlock, samples.get(loadCase)!);
    }
    for (const loadCase of LOAD_CASES) {
      loads.push({ target, size, loadCase, latency: summarizeLatency(samples.get(loadCase)!) });
    }
  }
  return { loads, seeded };
}
