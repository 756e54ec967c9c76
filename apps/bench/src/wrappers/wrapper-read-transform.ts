import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
} from '@strata/core';

/**
 * `store`, with `transform` run over the events of every read after the store's read (appends pass
 * through): the shape of the suite's yardsticks, which each do their least work in place there.
 * `transform` may change the events (reads hand out fresh objects) and returns the array it was given.
 */
export function withReadTransform(
  store: EventStore,
  transform: (events: RecordedEvent[]) => RecordedEvent[],
): EventStore {
  return {
    append: (streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> =>
      store.append(streamId, events, options),
    readStream: async (streamId: string, options?: ReadStreamOptions) =>
      transform(await store.readStream(streamId, options)),
    readStreams: async (streamIds: string[], options?: ReadStreamsOptions) => {
      const streams = await store.readStreams(streamIds, options);
      for (const events of streams.values()) transform(events);
      return streams;
    },
    readAll: async (options?: ReadAllOptions) => transform(await store.readAll(options)),
    streamVersion: (streamId: string) => store.streamVersion(streamId),
    close: async () => {},
  };
}
