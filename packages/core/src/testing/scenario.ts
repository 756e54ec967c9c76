import { AssertionError, deepStrictEqual } from 'node:assert/strict';
import type { AnyAggregate } from '../aggregate-root.js';
import { StrataError } from '../errors/strata-error.js';
import type { RecordedEvent } from '../event.js';

/** A past event for `given`: type and data, optionally metadata. */
export interface GivenEvent {
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

/** What a command is expected to record; metadata is compared only when given. */
export type ExpectedEvent = GivenEvent;

/**
 * What a failing command is expected to throw: an error class, an error `code`
 * (`{ code: 'STRATA_CONCURRENCY' }`), a message pattern, or a predicate.
 */
export type ErrorExpectation =
  | (abstract new (
      ...args: never[]
    ) => Error)
  | { code: string }
  | RegExp
  | ((error: unknown) => boolean);

export interface Scenario<A extends AnyAggregate> {
  /** Runs the command against the aggregate rebuilt from the given history. */
  when(command: (aggregate: A) => void | Promise<void>): Outcome<A>;
}

export interface Outcome<A extends AnyAggregate> {
  /** Asserts the command recorded exactly these events, in order. Resolves to the aggregate. */
  expectEvents(expected: ExpectedEvent[]): Promise<A>;
  /** Asserts the command threw a matching error and recorded nothing. Resolves to the error. */
  expectError(expectation: ErrorExpectation): Promise<unknown>;
}

/**
 * Given-when-then tests for aggregates, framework-agnostic: failures throw `AssertionError`
 * with a diff, which every test runner reports.
 *
 * ```ts
 * await given(() => new Order('o-1'), [{ type: 'order.placed', data: { total: 10 } }])
 *   .when((order) => order.ship())
 *   .expectEvents([{ type: 'order.shipped', data: {} }]);
 * ```
 */
export function given<A extends AnyAggregate>(create: () => A, history: GivenEvent[] = []): Scenario<A> {
  return {
    when(command) {
      const run = async (): Promise<{ aggregate: A; error?: unknown; threw: boolean }> => {
        const aggregate = create();
        aggregate.applyHistory(history.map((event, i) => toRecorded(aggregate.id, event, i + 1)));
        try {
          await command(aggregate);
          return { aggregate, threw: false };
        } catch (error) {
          return { aggregate, error, threw: true };
        }
      };
      return {
        async expectEvents(expected) {
          const { aggregate, error, threw } = await run();
          if (threw) {
            throw new AssertionError({
              message: `Expected events, but the command threw: ${describeError(error)}`,
              actual: error,
              expected,
            });
          }
          const actual = aggregate.pendingEvents.map((event, i) => {
            const wantsMetadata = expected[i]?.metadata !== undefined;
            return {
              type: event.type,
              data: event.data,
              ...(wantsMetadata ? { metadata: event.metadata ?? {} } : {}),
            };
          });
          deepStrictEqual(actual, expected, 'The command recorded different events');
          return aggregate;
        },
        async expectError(expectation) {
          const { aggregate, error, threw } = await run();
          if (!threw) {
            throw new AssertionError({
              message: `Expected the command to throw, but it recorded ${aggregate.pendingEvents.length} event(s)`,
              actual: aggregate.pendingEvents,
              expected: expectation,
            });
          }
          if (!matches(error, expectation)) {
            throw new AssertionError({
              message: `The command threw an unexpected error: ${describeError(error)}`,
              actual: error,
              expected: expectation,
            });
          }
          deepStrictEqual(aggregate.pendingEvents.length, 0, 'A failing command must not record events');
          return error;
        },
      };
    },
  };
}

function toRecorded(streamId: string, event: GivenEvent, version: number): RecordedEvent {
  const at = new Date(0);
  return {
    id: `given-${version}`,
    streamId,
    streamType: 'test',
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? {},
    schemaVersion: 1,
    version,
    position: BigInt(version),
    occurredAt: at,
    recordedAt: at,
  };
}

function matches(error: unknown, expectation: ErrorExpectation): boolean {
  if (expectation instanceof RegExp) return error instanceof Error && expectation.test(error.message);
  if (typeof expectation === 'object')
    return StrataError.isInstance(error) && error.code === expectation.code;
  if (expectation.prototype instanceof Error || expectation === Error) {
    return error instanceof (expectation as abstract new (...args: never[]) => Error);
  }
  return (expectation as (error: unknown) => boolean)(error);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
