import type { RecordedEvent } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { defineProjector, ProjectionRunner } from '../src/index.js';

async function twoEvents(): Promise<RecordedEvent[]> {
  const store = createMemoryEventStore();
  await store.append('s', [
    { type: 'a', data: 1 },
    { type: 'b', data: 2 },
  ]);
  return store.readAll();
}

describe('projectors in a transaction', () => {
  it('hand the transaction to every handler and stay synchronous while the handlers are', async () => {
    const seen: Array<[unknown, string]> = [];
    const projector = defineProjector<
      { type: 'a'; data: number } | { type: 'b'; data: number },
      { name: string }
    >({
      name: 'sync',
      handlers: {
        a: (data, _event, tx) => void seen.push([data, tx.name]),
        b: (data, _event, tx) => void seen.push([data, tx.name]),
      },
    });
    // No Promise: a SQLite transaction could not stay open across one.
    expect(projector.apply(await twoEvents(), { name: 'tx-1' })).toBeUndefined();
    expect(seen).toEqual([
      [1, 'tx-1'],
      [2, 'tx-1'],
    ]);
  });

  it('await the handlers that return a promise, in order, and pass their failure on', async () => {
    const seen: number[] = [];
    const failure = new Error('b failed');
    const projector = defineProjector<{ type: 'a' | 'b'; data: number }, string>({
      name: 'async',
      handlers: {
        a: async (data) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(data);
        },
        b: (data) => {
          seen.push(data);
          throw failure;
        },
      },
    });
    const result = projector.apply(await twoEvents(), 'tx');
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBe(failure);
    expect(seen).toEqual([1, 2]);
  });

  it('give handleBatch the transaction too', async () => {
    let got: unknown;
    const projector = defineProjector<{ type: 'a'; data: number }, number>({
      name: 'batch',
      eventTypes: ['a', 'b'],
      handleBatch: (events, tx) => {
        got = [events.length, tx];
      },
    });
    projector.apply(await twoEvents(), 42);
    expect(got).toEqual([2, 42]);
  });

  it('a runner refuses transactions that are not its checkpoint store', () => {
    const projector = defineProjector<{ type: 'a'; data: number }, string>({
      name: 'mismatch',
      handlers: { a: () => {} },
    });
    const transactions = {
      runInTransaction: async <T>(work: (tx: string) => T | Promise<T>) => work('tx'),
      loadCheckpointInTransaction: () => undefined,
      saveCheckpointInTransaction: () => {},
    };
    expect(
      () =>
        new ProjectionRunner({
          store: createMemoryEventStore(),
          checkpoints: new MemoryCheckpointStore(),
          projector,
          transactions,
        }),
    ).toThrow(/same store as checkpoints/);
    // Typed: a projector whose handlers take a transaction cannot be run without one.
    const withoutTransactions = () =>
      // @ts-expect-error `transactions` is required for a projector with a Tx
      new ProjectionRunner({
        store: createMemoryEventStore(),
        checkpoints: new MemoryCheckpointStore(),
        projector,
      });
    expect(typeof withoutTransactions).toBe('function');
  });
});
