import { expect, it } from 'vitest';
import { inventoryEvents, inventoryRegistry } from '../src/snapshots/bench-inventory.js';
import {
  type OpenSnapshotTarget,
  SNAPSHOT_BACKENDS,
  type SnapshotBackend,
} from '../src/snapshots/snapshot-backends.js';
import { leftovers } from './support/bench-leftovers.js';
import { describeWithServer } from './support/server-gate.js';

const servers = SNAPSHOT_BACKENDS.filter((b) => b.name !== 'sqlite');
const reasons = await Promise.all(servers.map((b) => b.probe()));

async function openWithData(backend: SnapshotBackend): Promise<OpenSnapshotTarget> {
  const open = await backend.open();
  await open.events.append('inventory-left', inventoryEvents(inventoryRegistry(), 1, 3), {
    expectedVersion: 0,
  });
  await open.snapshots.saveSnapshot({ streamId: 'inventory-left', version: 3, stateVersion: 1, state: {} });
  // On the tiered store, a read promotes a hot copy: keys under the hot tier's prefix too.
  await open.events.readStream('inventory-left');
  await open.settle();
  for (const location of open.locations) expect(await leftovers(location)).toBeGreaterThan(0);
  return open;
}

/** Two runs of the target at once: the first one's cleanup deletes all of its data and none of the other's. */
async function expectCleanupDeletesItsOwn(backend: SnapshotBackend): Promise<void> {
  const first = await openWithData(backend);
  const second = await openWithData(backend);
  try {
    await first.cleanup();
    for (const location of first.locations) expect(await leftovers(location)).toBe(0);
    for (const location of second.locations) expect(await leftovers(location)).toBeGreaterThan(0);
  } finally {
    await second.cleanup();
  }
  for (const location of second.locations) expect(await leftovers(location)).toBe(0);
}

servers.forEach((backend, i) => {
  describeWithServer(`the ${backend.name} snapshot target`, reasons[i], () => {
    it("deletes its schema, tables or keys at the end, and not another run's", async () => {
      await expectCleanupDeletesItsOwn(backend);
    });
  });
});

it("the sqlite snapshot target deletes its file at the end, and not another run's", async () => {
  await expectCleanupDeletesItsOwn(SNAPSHOT_BACKENDS.find((b) => b.name === 'sqlite')!);
});
