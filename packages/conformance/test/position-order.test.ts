import { describe, expect, it } from 'vitest';
import { PositionOrder } from '../src/position-order.js';

describe('PositionOrder', () => {
  it('accepts adapter positions that keep the reference order, whatever their values', () => {
    const order = new PositionOrder();
    expect(order.pair(1n, 1_000n, 'a')).toBeUndefined();
    expect(order.pair(3n, 5_000n, 'c')).toBeUndefined();
    expect(order.pair(2n, 1_001n, 'b')).toBeUndefined();
    expect(order.pair(2n, 1_001n, 'b again')).toBeUndefined();
    expect(order.orderProblems()).toEqual([]);
  });

  it('reports an event seen at two positions, and two events at one position', () => {
    const order = new PositionOrder();
    order.pair(1n, 10n, 'a');
    expect(order.pair(1n, 11n, 'a later')).toMatch(/same event was at 10/);
    expect(order.pair(2n, 10n, 'b')).toMatch(/shared by two events/);
  });

  it('reports positions out of the reference order', () => {
    const order = new PositionOrder();
    order.pair(1n, 20n, 'a');
    order.pair(2n, 10n, 'b');
    expect(order.orderProblems()).toEqual(['position 10 follows 20 in the log but is not greater']);
  });
});
