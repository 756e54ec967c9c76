import type { BenchArgs } from '../cli-args.js';
import type { BenchLocation } from '../snapshots/snapshot-backends.js';
import { probeTargets, selectByKeys } from '../target-registry.js';
import { WRAPPER_BACKENDS, type WrapperBackend, wrapperBackendKeys } from './wrapper-backends.js';
import { wrapperCaseStores } from './wrapper-cases.js';
import {
  type CipherBound,
  type CipherFloorRatio,
  cipherBounds,
  cipherFloorRatios,
  measureCipherFloor,
} from './wrapper-cipher-floor.js';
import { AAD_BYTES, ENCRYPTED_FIELDS, SEALED_PLAINTEXT } from './wrapper-events.js';
import {
  FLOOR_READ_GOAL,
  type FloorReadRatio,
  floorReadRatios,
  judgeFloorReadGoals,
} from './wrapper-floor-read-goal.js';
import {
  formatWrapperGoal,
  judgeWrapperGoals,
  type WrapperCost,
  type WrapperGoalResult,
  wrapperCosts,
} from './wrapper-goals.js';
import { measureWrappers, type WrapperRates } from './wrapper-measure.js';
import { WRAPPER_FULL_SCALE, WRAPPER_QUICK_SCALE, type WrapperScale } from './wrapper-scale.js';
import { formatWrapperTable } from './wrapper-table.js';

const LEGEND = [
  'Events/s: the median over the rounds of events appended or read per second by one block; ± is half',
  "the min-max range over the median. vs plain: per round, the case's rate over the plain store's in",
  'the same round, then the median of those; Cost = 1 - vs plain (negative: faster than plain, within',
  'noise). Upcasting cases read through one withUpcasting; "1 version old" and "2 versions old" read',
  'events stored at schema versions 2 and 1 (one and two upcasting steps). both: withUpcasting outside',
  'withEncryption, as documented. The composed case is two wrappers: reported, not judged.',
  "plain + bare decryption: the plain store, with the cipher floor's bare decryption run once per event",
  'inside each read (the floor in place): a yardstick for withEncryption, not judged.',
  "minimal decrypting read: the plain store's read of withEncryption's own rows, then per event in place",
  'the least the stored format needs: base64 decode, one AES-256-GCM decryption with its IV, tag and AAD,',
  'JSON.parse, the values written back (checked once a run to give the same data as withEncryption).',
  "upcasters run by hand: the plain store's read of the 2-versions-old rows, then per event in place the",
  "bench's two upcaster functions and type/version set to current, no checks (checked once a run to give",
  'the same events as withUpcasting): the least any upcasting of these events must do.',
  "vs floor read: per round, the case's rate over its floor read's, then the median of those: withEncryption",
  'over the minimal decrypting read, withUpcasting 2 versions old over the upcasters run by hand.',
].join('\n');

export interface WrapperTargetRun {
  target: string;
  /** Where its data lived; all of it was deleted at the end. */
  locations: readonly BenchLocation[];
  seconds: number;
}

export interface WrapperReport {
  scale: WrapperScale;
  /** node:crypto's own time to open one event's sealed fields, in µs, measured after each target. */
  cipherFloor: { target: string; microseconds: number }[];
  /** The best `vs plain` of a read that one decryption per event allows, from that floor. */
  cipherBounds: CipherBound[];
  /** Each encryption read's throughput over that bound's: `(plain + floor) / wrapper`. */
  cipherFloorRatios: CipherFloorRatio[];
  /**
   * Each floored read's throughput over its floor read's, in the same rounds: encryption over the
   * minimal decrypting read, 2-versions-old upcasting over the upcasters run by hand.
   */
  floorReadRatios: FloorReadRatio[];
  rates: WrapperRates[];
  costs: WrapperCost[];
  goals: WrapperGoalResult[];
  runs: WrapperTargetRun[];
  skipped: { target: string; reason: string }[];
  misses: string[];
}

export function wrapperBackends(args: BenchArgs): WrapperBackend[] {
  return selectByKeys(WRAPPER_BACKENDS, args.targets, wrapperBackendKeys);
}

/**
 * The throughput of `withUpcasting`, `withEncryption` and both, against the plain store in the same
 * rounds, on every selected target. Each target's data lives in objects of its own, deleted at the end.
 */
export async function runWrapperSuite(args: BenchArgs): Promise<WrapperReport> {
  const base = args.quick ? WRAPPER_QUICK_SCALE : WRAPPER_FULL_SCALE;
  const scale = args.runs === undefined ? base : { ...base, rounds: args.runs };
  const { runnable, skipped } = await probeTargets(wrapperBackends(args));

  console.log(`\n## Wrappers: ${scale.name} scale, ${scale.rounds} interleaved rounds, events/s`);
  console.log(describe(scale));
  for (const { target, reason } of skipped) console.log(`  ${target.name}: NOT RUN: ${reason}`);
  console.log(
    '\nRunning (every round runs one block of each case, the order rotated each round and reversed every other one):',
  );

  const rates: WrapperRates[] = [];
  const runs: WrapperTargetRun[] = [];
  const cipherFloor: WrapperReport['cipherFloor'] = [];
  const bounds: CipherBound[] = [];
  for (const backend of runnable) {
    const started = performance.now();
    const open = await backend.open();
    try {
      const measured = await measureWrappers(backend.name, wrapperCaseStores(open.store), scale);
      // Right after the target's rounds, so that the machine's load is as close as it gets to theirs.
      const floor = measureCipherFloor(SEALED_PLAINTEXT, AAD_BYTES, scale.rounds);
      rates.push(...measured);
      cipherFloor.push({ target: backend.name, microseconds: floor });
      bounds.push(...cipherBounds(measured, floor));
    } finally {
      await open.cleanup();
    }
    const seconds = (performance.now() - started) / 1000;
    runs.push({ target: backend.name, locations: open.locations, seconds });
    console.log(`  ${backend.name}: done (${seconds.toFixed(1)} s)`);
  }

  const labels = new Map(runnable.map((b) => [b.name, b.label]));
  const costs = wrapperCosts(rates);
  const floorRatios = cipherFloorRatios(costs, bounds);
  const readFloorRatios = floorReadRatios(rates);
  const goals = [...judgeWrapperGoals(costs, labels), ...judgeFloorReadGoals(readFloorRatios, labels)];
  if (rates.length > 0) {
    console.log(`\n${formatWrapperTable(rates, costs, labels, readFloorRatios)}\n`);
    console.log(LEGEND);
  }
  if (goals.length > 0)
    console.log(`\nWrapper goals:\n${goals.map((g) => `  ${formatWrapperGoal(g)}`).join('\n')}`);
  if (cipherFloor.length > 0) console.log(`\n${formatCipherFloor(cipherFloor, bounds, floorRatios, labels)}`);
  for (const { target, reason } of skipped) console.log(`Not run: ${target.name}: ${reason}`);
  return {
    scale,
    cipherFloor,
    cipherBounds: bounds,
    cipherFloorRatios: floorRatios,
    floorReadRatios: readFloorRatios,
    rates,
    costs,
    goals,
    runs,
    skipped: skipped.map(({ target, reason }) => ({ target: target.name, reason })),
    misses: goals.filter((g) => !g.pass).map(formatWrapperGoal),
  };
}

function formatCipherFloor(
  floor: WrapperReport['cipherFloor'],
  bounds: readonly CipherBound[],
  ratios: readonly CipherFloorRatio[],
  labels: ReadonlyMap<string, string>,
): string {
  const lines = [
    `Cipher floor: node:crypto alone, opening one event's sealed fields (AES-256-GCM, ${Buffer.byteLength(SEALED_PLAINTEXT)} bytes, ` +
      `${AAD_BYTES}-byte AAD), against the plain store's time per event read. The best vs plain one decryption per event allows:`,
  ];
  for (const { target, microseconds } of floor) {
    const reads = bounds.filter((b) => b.target === target);
    const each = reads.map(
      (b) => `${b.operation} ${b.plainMicroseconds.toFixed(2)} µs → ${b.bestRatio.toFixed(2)}x`,
    );
    const measured = ratios
      .filter((r) => r.target === target)
      .map((r) => `${r.operation} ${r.vsFloor.toFixed(2)}x`);
    lines.push(
      `  ${labels.get(target) ?? target}: ${microseconds.toFixed(2)} µs an event; ${each.join(', ')}`,
    );
    if (measured.length > 0) lines.push(`    withEncryption vs cipher floor: ${measured.join(', ')}`);
    const inPlace = ratios
      .filter((r) => r.target === target && r.vsInPlace !== undefined)
      .map((r) => `${r.operation} ${r.vsInPlace!.toFixed(2)}x`);
    if (inPlace.length > 0) lines.push(`    withEncryption vs the floor in place: ${inPlace.join(', ')}`);
  }
  lines.push(
    `vs cipher floor: withEncryption's rate over the floor's bound, (plain + floor) / wrapper time per event; ` +
      'reported, not judged: a loop of decryptions of the same bytes leaves out what every read of a stored event ' +
      'must also do (decode its own ciphertext, bind its AAD, parse and write back the values), which the minimal ' +
      'decrypting read does and is judged against. ' +
      'vs the floor in place: over the "plain + bare decryption" case, the same decryption run inside each read (not judged).',
  );
  return lines.join('\n');
}

function describe(scale: WrapperScale): string {
  return [
    `  Events: CustomerRegistered, about 300 bytes of JSON, ${ENCRYPTED_FIELDS.join(' and ')} encrypted ` +
      '(memory key store, a fixed test master key); current at schema version 3.',
    `  Per case and round: ${scale.appendsPerRound} single-event appends (exact expected version, over ` +
      `${scale.appendStreams} streams), ${scale.streamReadsPerRound[10]} readStream of a 10-event and ` +
      `${scale.streamReadsPerRound[100]} of a 100-event stream, ${scale.pagesPerRound} readAll ` +
      `page${scale.pagesPerRound > 1 ? 's' : ''} of ${scale.pageSize.toLocaleString('en-US')} over the case's own events.`,
    "  Goals (issue 11): each wrapper costs at most 25% of the plain store's throughput; upcasting " +
      'current events at most 5%; encryption reads, where 25% is below the floor of the work itself, at least ' +
      `${FLOOR_READ_GOAL.toFixed(2)}x of the ` +
      'minimal decrypting read of the same rows; reads of events 2 versions old at least ' +
      `${FLOOR_READ_GOAL.toFixed(2)}x of the upcasters run by hand over the same rows (the 25% line stays judged too).`,
    ...(scale.name === 'quick'
      ? ['  --quick: fewer rounds and calls; a smoke test, not a measurement.']
      : []),
  ].join('\n');
}
