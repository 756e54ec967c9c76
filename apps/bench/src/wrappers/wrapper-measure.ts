import type { EventStore } from '@strata/core';
import { rotated } from '../tiered/tiered-scale.js';
import { APPEND_CASES, type CaseStores, WRAPPER_CASES, type WrapperCase } from './wrapper-cases.js';
import { customerEvent } from './wrapper-events.js';
import { STREAM_LENGTHS, type StreamLength, type WrapperScale } from './wrapper-scale.js';

/** What a block does: single-event appends, `readStream` of one length, or `readAll` pages. */
export type WrapperOperation = 'append' | 'readStream-10' | 'readStream-100' | 'readAll';
export const WRAPPER_OPERATIONS: readonly WrapperOperation[] = [
  'append',
  'readStream-10',
  'readStream-100',
  'readAll',
];

/** One case of one operation on one target: its rate in every round. */
export interface WrapperRates {
  target: string;
  operation: WrapperOperation;
  wrapperCase: WrapperCase;
  /** Events per second, one sample per round, in round order. */
  eventsPerSecond: number[];
  /** Events each timed block appended or read (checked: a short read cannot pass as a fast one). */
  eventsPerBlock: number;
}

interface Block {
  operation: WrapperOperation;
  wrapperCase: WrapperCase;
  /** Runs the block once and returns how many events it appended or read. */
  run(): Promise<number>;
}

/** A case's part of the log: its 100-event streams, seeded one after the other. */
interface LogRange {
  after: bigint;
  events: number;
}

export const casesOf = (operation: WrapperOperation): readonly WrapperCase[] =>
  operation === 'append' ? APPEND_CASES : WRAPPER_CASES;

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Round `round`'s order: rotated by one per round, and reversed every other round, so no case
 * always follows the same one (an encryption block leaves garbage that its successor would collect).
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const order = rotated(items, round);
  return round % 2 === 1 ? order.reverse() : order;
}

const streamName = (wrapperCase: WrapperCase, length: StreamLength, i: number) =>
  `${wrapperCase}-s${length}-${i}`;

/**
 * Seeds each case's streams through its writer and prepares the cases that need it (untimed), then
 * runs `scale.rounds` rounds, each one block of every operation and case in the order of
 * `roundOrder`, after one untimed block of each. The stores are the ones `wrapperCaseStores` made
 * over one store.
 */
export async function measureWrappers(
  target: string,
  stores: Readonly<Record<WrapperCase, CaseStores>>,
  scale: WrapperScale,
): Promise<WrapperRates[]> {
  const ranges = await seedReads(stores, scale);
  for (const wrapperCase of WRAPPER_CASES) {
    const { prepare } = stores[wrapperCase];
    if (prepare !== undefined) await prepare(seededStreams(rowsOf(stores, wrapperCase), scale));
  }
  const blocks: Block[] = WRAPPER_OPERATIONS.flatMap((operation) =>
    casesOf(operation).map((wrapperCase) =>
      makeBlock(operation, wrapperCase, stores[wrapperCase], ranges.get(rowsOf(stores, wrapperCase))!, scale),
    ),
  );
  const results = blocks.map(
    (block): WrapperRates => ({
      target,
      operation: block.operation,
      wrapperCase: block.wrapperCase,
      eventsPerSecond: [],
      eventsPerBlock: 0,
    }),
  );
  for (const block of blocks) await block.run();
  for (let round = 0; round < scale.rounds; round++) {
    for (const block of roundOrder(blocks, round)) {
      // Untimed: each block starts on a clean heap rather than paying for the previous one's garbage.
      gc?.();
      const started = performance.now();
      const events = await block.run();
      const seconds = (performance.now() - started) / 1000;
      const result = results[blocks.indexOf(block)]!;
      if (result.eventsPerBlock !== 0 && result.eventsPerBlock !== events) {
        throw new Error(
          `${target} ${block.operation} ${block.wrapperCase}: a block handled ${events} events, an earlier one ${result.eventsPerBlock}`,
        );
      }
      result.eventsPerBlock = events;
      result.eventsPerSecond.push(events / seconds);
    }
  }
  return results;
}

/** The case whose seeded rows `wrapperCase` reads: its own, or those of the case it is a yardstick for. */
const rowsOf = (stores: Readonly<Record<WrapperCase, CaseStores>>, wrapperCase: WrapperCase): WrapperCase =>
  stores[wrapperCase].readsRowsOf ?? wrapperCase;

/** Every stream seeded for `wrapperCase`'s reads. */
const seededStreams = (wrapperCase: WrapperCase, scale: WrapperScale): string[] =>
  STREAM_LENGTHS.flatMap((length) =>
    Array.from({ length: scale.streamsPerLength[length] }, (_, i) => streamName(wrapperCase, length, i)),
  );

/**
 * Every case's read streams, written through its writer at its stored version, case after case;
 * none for a case that reads another's rows.
 */
async function seedReads(
  stores: Readonly<Record<WrapperCase, CaseStores>>,
  scale: WrapperScale,
): Promise<Map<WrapperCase, LogRange>> {
  const ranges = new Map<WrapperCase, LogRange>();
  for (const wrapperCase of WRAPPER_CASES) {
    const { writer, seededVersion, readsRowsOf } = stores[wrapperCase];
    if (readsRowsOf !== undefined) continue;
    let after: bigint | undefined;
    for (const length of STREAM_LENGTHS) {
      for (let i = 0; i < scale.streamsPerLength[length]; i++) {
        const streamId = streamName(wrapperCase, length, i);
        const events = Array.from({ length }, (_, n) => customerEvent(streamId, n, seededVersion));
        const result = await writer.append(streamId, events, { expectedVersion: 0 });
        if (length === 100 && after === undefined) after = result.lastPosition - BigInt(length);
      }
    }
    ranges.set(wrapperCase, { after: after!, events: scale.streamsPerLength[100] * 100 });
  }
  return ranges;
}

function makeBlock(
  operation: WrapperOperation,
  wrapperCase: WrapperCase,
  stores: CaseStores,
  range: LogRange,
  scale: WrapperScale,
): Block {
  const store = stores.subject;
  // Appends go to the case's own streams; reads to the rows it reads.
  const rows = stores.readsRowsOf ?? wrapperCase;
  switch (operation) {
    case 'append':
      return { operation, wrapperCase, run: appendBlock(store, wrapperCase, scale) };
    case 'readStream-10':
    case 'readStream-100': {
      const length: StreamLength = operation === 'readStream-10' ? 10 : 100;
      return { operation, wrapperCase, run: readStreamBlock(store, rows, length, scale) };
    }
    case 'readAll':
      return { operation, wrapperCase, run: readAllBlock(store, range, scale) };
  }
}

/** Single-event appends with the exact expected version, round-robin over the case's own streams. */
function appendBlock(
  store: EventStore,
  wrapperCase: WrapperCase,
  scale: WrapperScale,
): () => Promise<number> {
  const versions = new Array<number>(scale.appendStreams).fill(0);
  let next = 0;
  return async () => {
    for (let i = 0; i < scale.appendsPerRound; i++) {
      const stream = next++ % scale.appendStreams;
      const streamId = `${wrapperCase}-a-${stream}`;
      const expectedVersion = versions[stream]!;
      await store.append(streamId, [customerEvent(streamId, next)], { expectedVersion });
      versions[stream] = expectedVersion + 1;
    }
    return scale.appendsPerRound;
  };
}

function readStreamBlock(
  store: EventStore,
  wrapperCase: WrapperCase,
  length: StreamLength,
  scale: WrapperScale,
): () => Promise<number> {
  let next = 0;
  return async () => {
    let events = 0;
    for (let i = 0; i < scale.streamReadsPerRound[length]; i++) {
      const stream = next++ % scale.streamsPerLength[length];
      events += (await store.readStream(streamName(wrapperCase, length, stream))).length;
    }
    return events;
  };
}

/** `readAll` pages over the case's own part of the log, from its start again once it is read. */
function readAllBlock(store: EventStore, range: LogRange, scale: WrapperScale): () => Promise<number> {
  let after = range.after;
  let read = 0;
  return async () => {
    let events = 0;
    for (let i = 0; i < scale.pagesPerRound; i++) {
      if (read + scale.pageSize > range.events) {
        after = range.after;
        read = 0;
      }
      const page = await store.readAll({ after, limit: scale.pageSize });
      after = page[page.length - 1]!.position;
      read += page.length;
      events += page.length;
    }
    return events;
  };
}
