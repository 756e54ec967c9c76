import { expect } from 'vitest';
import type { BenchSubject } from '../../src/bench-target.js';
import { benchEvent } from '../../src/workloads/bench-events.js';

/** A server floor with a way in from the side: another writer's transaction, and its rows. */
export interface CounterFloor {
  floor: BenchSubject;
  /** Runs in the other writer's open transaction. */
  query(sql: string): Promise<unknown>;
  /** The statement that locks the floor's counter row, as a writer between its positions and COMMIT. */
  lockCounter: string;
  /** `[stream_id, version, position]` of every floor row, in position order. */
  rows(): Promise<[string, number, number][]>;
}

/**
 * A floor that hands out positions in commit order waits while another transaction holds its
 * counter, and a refused append takes no positions: the next one is contiguous.
 */
export async function expectCommitOrderedPositions({ floor, query, lockCounter, rows }: CounterFloor) {
  await floor.append('s-a', [benchEvent(0), benchEvent(1)], 0);
  await expect(floor.append('s-a', [benchEvent(2)], 1)).rejects.toThrow('stream s-a is at 2, not 1');
  await query('BEGIN');
  await query(lockCounter);
  let settled = false;
  const waiting = floor.append('s-b', [benchEvent(3)], 0).finally(() => {
    settled = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(settled).toBe(false);
  await query('COMMIT');
  await waiting;
  expect(await rows()).toEqual([
    ['s-a', 1, 1],
    ['s-a', 2, 2],
    ['s-b', 1, 3],
  ]);
}
