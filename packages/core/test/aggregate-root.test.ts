import { describe, expect, it } from 'vitest';
import { AggregateRoot, type EventHandlers } from '../src/aggregate-root.js';
import { ValidationError } from '../src/errors/validation-error.js';
import { given } from '../src/testing/index.js';

type CounterEvent =
  | { type: 'counter.incremented'; data: { by: number } }
  | { type: 'counter.reset'; data: Record<string, never> };

class CounterLimitError extends Error {}

class Counter extends AggregateRoot<CounterEvent> {
  value = 0;
  protected readonly handlers: EventHandlers<CounterEvent> = {
    'counter.incremented': ({ by }) => {
      this.value += by;
    },
    'counter.reset': () => {
      this.value = 0;
    },
  };

  increment(by: number): void {
    if (this.value + by > 10) throw new CounterLimitError(`limit exceeded: ${this.value + by}`);
    this.record('counter.incremented', { by });
  }
}

const history = (...bys: number[]) => bys.map((by) => ({ type: 'counter.incremented', data: { by } }));

describe('AggregateRoot', () => {
  it('applies recorded events at once and keeps them pending with fresh ids', () => {
    const counter = new Counter('c-1');
    counter.increment(2);
    counter.increment(3);
    expect(counter.value).toBe(5);
    expect(counter.version).toBe(2);
    expect(counter.persistedVersion).toBe(0);
    expect(counter.pendingEvents.map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(new Set(counter.pendingEvents.map((e) => e.id)).size).toBe(2);
    counter.markSaved(2);
    expect(counter.pendingEvents).toEqual([]);
    expect(counter.persistedVersion).toBe(2);
  });

  it('applies the further parts of a split event at its version, and refuses any other repeat', () => {
    const recorded = (id: string, version: number, position: bigint, by: number) => ({
      id,
      type: 'counter.incremented',
      data: { by },
      streamId: 'c-1',
      streamType: 'counter',
      metadata: {},
      schemaVersion: 1,
      version,
      position,
      occurredAt: new Date(),
      recordedAt: new Date(),
    });
    const counter = new Counter('c-1');
    // Stored event 2 read as two parts (same version and position, ids of their own), across two calls.
    counter.applyHistory([recorded('a', 1, 1n, 1), recorded('b1', 2, 2n, 2)]);
    counter.applyHistory([recorded('b2', 2, 2n, 3), recorded('c', 3, 3n, 4)]);
    expect(counter.value).toBe(10);
    expect(counter.version).toBe(3);
    expect(counter.persistedVersion).toBe(3);
    // The same event twice, or a repeated version at another position, is still a broken history.
    expect(() => new Counter('c-1').applyHistory([recorded('a', 1, 1n, 1), recorded('a', 1, 1n, 1)])).toThrow(
      /jumps from version 1 to 1/,
    );
    expect(() => new Counter('c-1').applyHistory([recorded('a', 1, 1n, 1), recorded('x', 1, 2n, 1)])).toThrow(
      ValidationError,
    );
  });

  it('refuses a history with a gap', () => {
    const counter = new Counter('c-1');
    const events = history(1, 2).map((e, i) => ({
      ...e,
      id: `${i}`,
      streamId: 'c-1',
      streamType: 'counter',
      metadata: {},
      schemaVersion: 1,
      version: i === 0 ? 1 : 3,
      position: BigInt(i + 1),
      occurredAt: new Date(),
      recordedAt: new Date(),
    }));
    expect(() => counter.applyHistory(events)).toThrow(ValidationError);
  });

  it('names a missing handler', () => {
    const counter = new Counter('c-1');
    expect(() =>
      counter.applyHistory([
        {
          id: '1',
          streamId: 'c-1',
          streamType: 'counter',
          type: 'counter.exploded',
          data: {},
          metadata: {},
          schemaVersion: 1,
          version: 1,
          position: 1n,
          occurredAt: new Date(),
          recordedAt: new Date(),
        },
      ]),
    ).toThrow(/Counter has no handler/);
  });
});

describe('given / when / expect', () => {
  it('passes when the command records the expected events', async () => {
    const counter = await given(() => new Counter('c-1'), history(1, 2))
      .when((c) => c.increment(4))
      .expectEvents([{ type: 'counter.incremented', data: { by: 4 } }]);
    expect(counter.value).toBe(7);
  });

  it('fails with a diff when the events differ', async () => {
    await expect(
      given(() => new Counter('c-1'))
        .when((c) => c.increment(4))
        .expectEvents([{ type: 'counter.incremented', data: { by: 5 } }]),
    ).rejects.toThrow(/different events/);
  });

  it('matches errors by class, code, pattern or predicate', async () => {
    const scenario = () => given(() => new Counter('c-1'), history(9)).when((c) => c.increment(4));
    await scenario().expectError(CounterLimitError);
    await scenario().expectError(/limit exceeded: 13/);
    await scenario().expectError((error) => error instanceof CounterLimitError);
    await expect(scenario().expectError({ code: 'STRATA_CONCURRENCY' })).rejects.toThrow(/unexpected error/);
    await expect(scenario().expectEvents([])).rejects.toThrow(/command threw/);
  });

  it('fails expectError when the command succeeds', async () => {
    await expect(
      given(() => new Counter('c-1'))
        .when((c) => c.increment(1))
        .expectError(CounterLimitError),
    ).rejects.toThrow(/Expected the command to throw/);
  });
});
