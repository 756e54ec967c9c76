import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'AggregateRepository',
      'AggregateRoot',
      'ConcurrencyError',
      'EventRegistry',
      'prepareAppend',
      'withRecordedEvents',
      'CallDeadlines',
      'iterateAll',
      'HeldLease',
      'prepareRewrite',
      'supportsEventRewrite',
      'supportsEventRewriteBatch',
      'prepareRewrites',
      'SharedAppendListener',
      'thenOrNow',
      'isPromiseLike',
      'normalizeAppendHookOptions',
    ],
    './testing': ['given'],
  },
  {
    errorClasses: {
      '.': [
        'CheckpointConflictError',
        'CheckpointFencedError',
        'ConcurrencyError',
        'DuplicateEventError',
        'EventRewriteConflictError',
        'LeaseHeldError',
        'PositionsExhaustedError',
        'SerializationError',
        'StoreClosedError',
        'StoreUnavailableError',
        'StrataError',
        'StreamNotFoundError',
        'UnsupportedOperationError',
        'ValidationError',
      ],
    },
    roundTrip: {
      label: "a tiny store built on core's adapter helpers",
      // Runs in a child process from its source text: it may use only its argument.
      open: async (core) => {
        const streams = new Map();
        let position = 0n;
        const store = {
          async append(streamId: string, events: unknown[], options?: unknown) {
            const append = core.prepareAppend(streamId, events, options);
            const stream = streams.get(streamId) ?? [];
            if (!core.satisfiesExpectedVersion(append.expectedVersion, stream.length)) {
              throw new core.ConcurrencyError(streamId, append.expectedVersion, stream.length);
            }
            const firstVersion = stream.length + 1;
            position += BigInt(append.events.length);
            const batch = {
              streamType: append.streamType,
              firstVersion,
              lastPosition: position,
              recordedAt: 0,
            };
            const recorded = core.recordedEventsOf(append, batch);
            streams.set(streamId, [...stream, ...recorded]);
            const result = { streamId, firstVersion, lastVersion: stream.length + 1, lastPosition: position };
            return core.withRecordedEvents(result, () => recorded);
          },
          async readStream(streamId: string) {
            return streams.get(streamId) ?? [];
          },
          async close() {},
        };
        return { store };
      },
    },
  },
);
