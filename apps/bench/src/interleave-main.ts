import { parseArgs } from 'node:util';
import { scaleFor } from './bench-runner.js';
import { FULL_SCALE, WARMUP_SCALE } from './bench-scale.js';
import { type InterleavedRound, measureInterleaved } from './interleaved-blocks.js';
import { TARGETS } from './target-registry.js';
import { formatTextTable } from './text-table.js';
import { UsageError } from './usage-error.js';

/**
 * The store against its floor in blocks that take turns (`interleaved-blocks.ts`): a tighter
 * reading of a serial append workload than whole runs, for gaps of a few percent.
 *
 *   pnpm --filter @strata/bench interleave -- --target redis --workload W1 [--rounds 5] [--block 250]
 */
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    target: { type: 'string' },
    workload: { type: 'string', default: 'W1' },
    rounds: { type: 'string', default: '5' },
    block: { type: 'string' },
  },
});

try {
  const target = TARGETS.find((t) => t.name === values.target);
  if (target === undefined) {
    throw new UsageError(`--target takes one of ${TARGETS.map((t) => t.name).join(', ')}`);
  }
  const workload = values.workload;
  if (workload !== 'W1' && workload !== 'W3') throw new UsageError('--workload takes W1 or W3');
  const rounds = positiveInteger(values.rounds, '--rounds');
  // About 40 turns a round at the full scale: short enough that drift between turns is small.
  const block = positiveInteger(values.block ?? (workload === 'W1' ? '250' : '25'), '--block');
  const unavailable = await target.probe?.();
  if (unavailable !== undefined) throw new UsageError(unavailable);
  const scale = scaleFor(target, FULL_SCALE);
  const warmup = scaleFor(target, WARMUP_SCALE);
  const result = await measureInterleaved(target, { workload, scale, rounds, block, warmup }).finally(() =>
    target.dispose?.(),
  );
  console.log(
    `${target.label} ${workload}: ${result.appends} appends of ${result.batchSize} per side and round, ` +
      `blocks of ${block}, store against its ${result.baseline === 'raw' ? 'raw side (its floor)' : 'floor'}, ` +
      'after a warm-up round at the warm-up scale, not counted\n',
  );
  const micros = (value: number) => value.toFixed(1);
  console.log(
    formatTextTable<InterleavedRound & { round: number }>(
      [
        { header: 'Round', align: 'right', cell: (r) => String(r.round) },
        { header: 'Store / floor', align: 'right', cell: (r) => r.ratio.toFixed(3) },
        { header: 'Store µs/append', align: 'right', cell: (r) => micros(r.storeMicros) },
        { header: 'Floor µs/append', align: 'right', cell: (r) => micros(r.floorMicros) },
        { header: 'Store CPU µs', align: 'right', cell: (r) => micros(r.storeCpuMicros) },
        { header: 'Floor CPU µs', align: 'right', cell: (r) => micros(r.floorCpuMicros) },
      ],
      result.rounds.map((r, i) => ({ ...r, round: i + 1 })),
    ),
  );
  console.log(`\nMedian store / floor: ${result.medianRatio.toFixed(3)}`);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}

function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${name} takes an integer >= 1 (got "${value}")`);
  return n;
}
