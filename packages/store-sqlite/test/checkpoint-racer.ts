// A separate process for the multi-process checkpoint test: it waits for "go", then advances one
// checkpoint by compare-and-set, retrying each step it loses, so several processes race on it.
import { CheckpointConflictError } from '@strata/core';
import { createSqliteEventStore } from '../src/index.js';

const [path, steps] = process.argv.slice(2) as [string, string];

async function run(): Promise<{ wins: number; conflicts: number }> {
  const store = createSqliteEventStore({ database: path, busyTimeoutMs: 10_000 });
  let [wins, conflicts] = [0, 0];
  while (wins < Number(steps)) {
    const current = (await store.checkpoints.loadCheckpoint('raced')) ?? 0n;
    try {
      await store.checkpoints.saveCheckpoint('raced', current + 1n, { expectedPosition: current });
      wins++;
    } catch (error) {
      if (!CheckpointConflictError.isInstance(error)) throw error;
      conflicts++;
    }
  }
  await store.close();
  return { wins, conflicts };
}

process.on('message', () => {
  run().then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.send?.('ready');
