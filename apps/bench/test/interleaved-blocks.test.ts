import { describe, expect, it } from 'vitest';
import { QUICK_SCALE } from '../src/bench-scale.js';
import { measureInterleaved } from '../src/interleaved-blocks.js';
import { memoryTarget } from '../src/targets/memory-target.js';
import { sqliteNormalTarget } from '../src/targets/sqlite-target.js';
import { UsageError } from '../src/usage-error.js';
import { useTempTmpdir } from './support/temp-tmpdir.js';

const SCALE = {
  ...QUICK_SCALE,
  singleAppends: 60,
  streams: 7,
  batchEvents: 600,
  batchSize: 20,
  batchStreams: 4,
};

describe('interleaved blocks', () => {
  useTempTmpdir();

  it.each(['W1', 'W3'] as const)(
    'times the store and the floor over the same appends (%s)',
    async (workload) => {
      const result = await measureInterleaved(sqliteNormalTarget, {
        workload,
        scale: SCALE,
        rounds: 2,
        block: 7,
      });
      expect(result.baseline).toBe('floor');
      expect(result.appends).toBe(workload === 'W1' ? 60 : 30);
      expect(result.batchSize).toBe(workload === 'W1' ? 1 : 20);
      expect(result.rounds).toHaveLength(2);
      for (const round of result.rounds) {
        // Every version each side expected held (an append that failed would have thrown), and both
        // sides spent time and CPU on their own blocks.
        expect(round.storeMicros).toBeGreaterThan(0);
        expect(round.floorMicros).toBeGreaterThan(0);
        expect(round.storeCpuMicros).toBeGreaterThan(0);
        expect(round.ratio).toBeCloseTo(round.floorMicros / round.storeMicros, 10);
      }
      expect(result.medianRatio).toBeGreaterThan(0);
    },
  );

  it('runs a warm-up round first and counts only the measured ones', async () => {
    let setups = 0;
    const counted = {
      ...sqliteNormalTarget,
      setup: () => {
        setups++;
        return sqliteNormalTarget.setup();
      },
    };
    const result = await measureInterleaved(counted, {
      workload: 'W1',
      scale: SCALE,
      rounds: 1,
      block: 7,
      warmup: { ...SCALE, singleAppends: 14 },
    });
    // Two databases a round: the warm-up's and the measured round's.
    expect(setups).toBe(4);
    expect(result.rounds).toHaveLength(1);
    expect(result.appends).toBe(60);
  });

  it('refuses a target with no floor', async () => {
    await expect(
      measureInterleaved(memoryTarget, { workload: 'W1', scale: SCALE, rounds: 1, block: 10 }),
    ).rejects.toThrow(UsageError);
  });
});
