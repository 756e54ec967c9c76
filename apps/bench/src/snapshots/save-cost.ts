import type { EventRegistry } from '@strata/core';
import { everyNEvents, snapshotting } from '@strata/snapshots';
import { elapsedMs, type LatencySummary, summarizeLatency } from '../tiered/latency-stats.js';
import { perRound, rotated } from '../tiered/tiered-scale.js';
import { type BenchInventory, INVENTORY_STATE_VERSION } from './bench-inventory.js';
import {
  type InventoryRepository,
  inventoryRepository,
  inventoryStreamId,
} from './inventory-repositories.js';
import { seedInventory } from './inventory-seed.js';
import type { OpenSnapshotTarget } from './snapshot-backends.js';
import type { SnapshotScale } from './snapshot-scale.js';

/** `off`: no `snapshots` option. `on`: `everyNEvents(1)`, a snapshot after every save. */
export type SaveCase = 'off' | 'on';

export const SAVE_CASES: readonly SaveCase[] = ['off', 'on'];

export const SAVE_CASE_LABELS: Readonly<Record<SaveCase, string>> = {
  off: 'snapshots off',
  on: 'snapshot after every save',
};

/**
 * - `back-to-back`: the next save starts as soon as the previous one returned, so the snapshot
 *   written in the background weighs on it, as in an application (and a save that finds the
 *   previous snapshot still being written takes none).
 * - `isolated`: `flush()` (untimed) before each save: the save alone, and a snapshot after every one.
 */
export type SaveMode = 'back-to-back' | 'isolated';

export const SAVE_MODES: readonly SaveMode[] = ['back-to-back', 'isolated'];

export interface SaveCaseResult {
  target: string;
  saveCase: SaveCase;
  mode: SaveMode;
  /** `repository.save` of one event, as the caller waits for it. */
  latency: LatencySummary;
  /** Snapshots written per save. */
  snapshotsPerSave: number;
  /** The background snapshot write (compression and the store's write), from its `written` events. */
  write: LatencySummary | undefined;
}

interface Lane {
  repository: InventoryRepository;
  aggregate: BenchInventory;
  next: number;
}

interface Accumulator {
  samples: number[];
  writeMs: number[];
}

/** Untimed saves of each case and mode before the rounds. */
const WARMUP_SAVES = 5;

/**
 * Back-to-back saves of one event on one aggregate per case (loaded once, then record and save
 * repeatedly), with snapshotting off and with a snapshot after every save, in both modes, in
 * interleaved rounds with the order rotated. Background work (snapshot writes, the event store's
 * own) left at the end of a block is awaited, untimed, so each block's writes are its own.
 */
export async function measureSaves(
  open: OpenSnapshotTarget,
  target: string,
  registry: EventRegistry,
  scale: SnapshotScale,
): Promise<SaveCaseResult[]> {
  let current: Accumulator = newAccumulator();
  let failure: unknown;
  const snapshotter = snapshotting({
    store: open.snapshots,
    stateVersion: INVENTORY_STATE_VERSION,
    strategy: everyNEvents(1),
    registry,
    onEvent: (event) => {
      if (event.type === 'written') current.writeMs.push(event.ms);
      // A listener's throw is swallowed by the snapshotter: keep the error, fail after the rounds.
      if (event.type === 'write-failed') failure ??= event.error;
    },
  });
  const settle = async () => {
    await snapshotter.flush();
    await open.settle();
  };
  const lanes = new Map<SaveCase, Lane>();
  for (const saveCase of SAVE_CASES) {
    const id = `save-${saveCase}`;
    await seedInventory(
      open.events,
      registry,
      inventoryStreamId(id),
      scale.saveStreamEvents,
      scale.seedBatch,
    );
    const repository = inventoryRepository(
      open.events,
      registry,
      saveCase === 'on' ? snapshotter : undefined,
    );
    lanes.set(saveCase, { repository, aggregate: await repository.load(id), next: scale.saveStreamEvents });
  }
  const block = async (saveCase: SaveCase, mode: SaveMode, saves: number, into: Accumulator) => {
    current = into;
    const lane = lanes.get(saveCase)!;
    for (let i = 0; i < saves; i++) {
      if (mode === 'isolated') await settle();
      lane.aggregate.move(++lane.next);
      const start = process.hrtime.bigint();
      await lane.repository.save(lane.aggregate);
      into.samples.push(elapsedMs(start));
    }
    await settle();
  };

  const blocks = SAVE_CASES.flatMap((saveCase) => SAVE_MODES.map((mode) => ({ saveCase, mode })));
  for (const { saveCase, mode } of blocks) await block(saveCase, mode, WARMUP_SAVES, newAccumulator());
  const acc = new Map(blocks.map((b) => [`${b.saveCase}:${b.mode}`, newAccumulator()]));
  const perBlock = perRound(scale.saves, scale.rounds);
  for (let round = 0; round < scale.rounds; round++) {
    for (const { saveCase, mode } of rotated(blocks, round)) {
      await block(saveCase, mode, perBlock, acc.get(`${saveCase}:${mode}`)!);
    }
  }
  if (snapshotter.stats.writeFailures > 0) {
    throw new Error(`${target}: ${snapshotter.stats.writeFailures} snapshot writes failed`, {
      cause: failure,
    });
  }
  return blocks.map(({ saveCase, mode }) => {
    const { samples, writeMs } = acc.get(`${saveCase}:${mode}`)!;
    return {
      target,
      saveCase,
      mode,
      latency: summarizeLatency(samples),
      snapshotsPerSave: writeMs.length / samples.length,
      write: writeMs.length === 0 ? undefined : summarizeLatency(writeMs),
    };
  });
}

function newAccumulator(): Accumulator {
  return { samples: [], writeMs: [] };
}
