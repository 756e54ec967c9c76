import * as fc from 'fast-check';

// Commands name streams, types and ids by index, never by value: the runner maps them to names
// unique to each run, so a replayed or shrunk sequence never collides with an earlier run's events.

/** Streams a run appends to; index `STREAMS` is a stream that is never written. */
export const STREAMS = 3;
export const TYPES = 3;

export type ExpectedSpec =
  | { kind: 'omitted' }
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'exact'; version: number }
  /** The stream's current version: usually accepted. */
  | { kind: 'current' }
  /** One below the current version: refused once the stream exists. */
  | { kind: 'stale' };

export interface EventSpec {
  /**
   * A fresh id, the `index`-th id used so far in the run (modulo their number), or that id in upper
   * case: a different id, which a store folding case would take for the same.
   */
  id: { kind: 'fresh' } | { kind: 'reuse'; index: number } | { kind: 'reuseUpperCased'; index: number };
  type: number;
  data: fc.JsonValue;
  metadata: Record<string, fc.JsonValue> | undefined;
  schemaVersion: number;
  occurredAt: number;
}

export type ModelCommand =
  | {
      kind: 'append';
      stream: number;
      events: EventSpec[];
      expected: ExpectedSpec;
      streamType: string | undefined;
    }
  /** Sends an earlier append again, unchanged or with another expected version. */
  | { kind: 'resend'; index: number; expected: 'same' | 'any' | 'stale' }
  | {
      kind: 'readStream';
      stream: number;
      fromVersion: number | undefined;
      toVersion: number | undefined;
      limit: number | undefined;
      direction: 'forward' | 'backward' | undefined;
    }
  | { kind: 'readStreams'; streams: number[]; fromVersion: number | undefined }
  /** `readAll` after the `afterEvent`-th event of the run (or its start), optionally by types and limited. */
  | {
      kind: 'readAll';
      afterEvent: number | undefined;
      types: number[] | undefined;
      limit: number | undefined;
    }
  | { kind: 'streamVersion'; stream: number };

const stream = fc.integer({ min: 0, max: STREAMS - 1 });
const anyStream = fc.integer({ min: 0, max: STREAMS });
const small = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: undefined });

const expected: fc.Arbitrary<ExpectedSpec> = fc.oneof(
  fc.constant({ kind: 'omitted' } as const),
  fc.constant({ kind: 'any' } as const),
  fc.constant({ kind: 'no_stream' } as const),
  fc.constant({ kind: 'stream_exists' } as const),
  fc.integer({ min: 0, max: 8 }).map((version) => ({ kind: 'exact', version }) as const),
  { arbitrary: fc.constant({ kind: 'current' } as const), weight: 3 },
  fc.constant({ kind: 'stale' } as const),
);

const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  id: fc.oneof(
    { arbitrary: fc.constant({ kind: 'fresh' } as const), weight: 6 },
    fc.nat().map((index) => ({ kind: 'reuse', index }) as const),
    fc.nat().map((index) => ({ kind: 'reuseUpperCased', index }) as const),
  ),
  type: fc.integer({ min: 0, max: TYPES - 1 }),
  data: fc.jsonValue({ maxDepth: 2 }),
  metadata: fc.option(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    {
      nil: undefined,
    },
  ),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  occurredAt: fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }),
});

export const modelCommand: fc.Arbitrary<ModelCommand> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      stream,
      events: fc.array(eventSpec, { minLength: 1, maxLength: 4 }),
      expected,
      streamType: fc.option(fc.constantFrom('order', 'invoice'), { nil: undefined }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('resend' as const),
      index: fc.nat(),
      expected: fc.constantFrom('same' as const, 'any' as const, 'stale' as const),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('readStream' as const),
    stream: anyStream,
    fromVersion: small(8),
    toVersion: small(8),
    limit: small(5),
    direction: fc.constantFrom(undefined, 'forward' as const, 'backward' as const),
  }),
  fc.record({
    kind: fc.constant('readStreams' as const),
    streams: fc.array(anyStream, { maxLength: 6 }),
    fromVersion: small(4),
  }),
  fc.record({
    kind: fc.constant('readAll' as const),
    afterEvent: small(12),
    types: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: TYPES - 1 }), { maxLength: TYPES }), {
      nil: undefined,
    }),
    limit: small(6),
  }),
  fc.record({ kind: fc.constant('streamVersion' as const), stream: anyStream }),
);

/** Sequences of 1 to 30 commands. */
export const modelCommands: fc.Arbitrary<ModelCommand[]> = fc.array(modelCommand, {
  minLength: 1,
  maxLength: 30,
});
