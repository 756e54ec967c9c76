import type { EventStore, NewEvent } from '@strata/core';
import type { BenchSubject, ReadAllPage } from './bench-target.js';

/** The adapter side of a comparison: every workload call goes through the public `EventStore` API. */
export function storeSubject(store: EventStore): BenchSubject {
  return {
    async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
      await store.append(streamId, events as NewEvent[], { expectedVersion });
    },
    async readStream(streamId: string): Promise<number> {
      return (await store.readStream(streamId)).length;
    },
    async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
      const page = await store.readAll({ after, limit });
      return { count: page.length, lastPosition: page[page.length - 1]?.position };
    },
    close: () => store.close(),
  };
}
