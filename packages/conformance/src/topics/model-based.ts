import type { EventStore } from '@strata/core';
import * as fc from 'fast-check';
import { describe, it } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { modelCommands } from '../model-commands.js';
import { ModelRun } from '../model-runner.js';
import { useStoreFixture } from '../store-fixture.js';
import { HEAVY_TEST_TIMEOUT_MS } from '../test-timeouts.js';

/**
 * Random command sequences (appends with right, wrong and stale expected versions, resent batches,
 * reused ids, reads with random options) give the same results on the adapter as on the reference
 * `MemoryEventStore`. A failure prints the shrunk sequence and the seed to replay it.
 */
export function describeModelBased(options: EventStoreConformanceOptions): void {
  const { propertyRuns } = resolveScale(options);
  describe('model-based', () => {
    const fixture = useStoreFixture(options);

    async function check(stores: readonly EventStore[]): Promise<void> {
      await fc.assert(
        fc.asyncProperty(modelCommands, async (commands) => {
          const run = await ModelRun.begin(stores);
          for (const command of commands) await run.execute(command);
          await run.finish();
        }),
        { numRuns: propertyRuns },
      );
    }

    it(
      `${propertyRuns} random command sequences match the reference store`,
      async () => {
        await check([await fixture.open()]);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    if (options.createPeer !== undefined) {
      it(
        `${propertyRuns} random command sequences spread over two instances match the reference store`,
        async () => {
          const store = await fixture.open();
          await check([store, await fixture.openPeer(store)]);
        },
        HEAVY_TEST_TIMEOUT_MS,
      );
    }
  });
}
