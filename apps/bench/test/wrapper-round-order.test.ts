import { expect, it } from 'vitest';
import { roundOrder } from '../src/wrappers/wrapper-measure.js';

it('runs every block once a round, and no block always follows the same one', () => {
  const blocks = ['a', 'b', 'c', 'd'];
  const predecessors = new Map<string, Set<string>>(blocks.map((b) => [b, new Set()]));
  for (let round = 0; round < 4; round++) {
    const order = roundOrder(blocks, round);
    expect([...order].sort()).toEqual(blocks);
    for (let i = 1; i < order.length; i++) predecessors.get(order[i]!)!.add(order[i - 1]!);
  }
  for (const block of blocks) expect(predecessors.get(block)!.size).toBeGreaterThan(1);
  expect(blocks).toEqual(['a', 'b', 'c', 'd']);
});
