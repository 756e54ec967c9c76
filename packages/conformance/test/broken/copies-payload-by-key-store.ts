import type { ReadAllOptions, ReadStreamOptions, ReadStreamsOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Decodes payloads key by key with `out[key] = value`, as a hand-written row decoder might: a
 * stored `"__proto__"` key vanishes and becomes the copy's prototype.
 */
export class CopiesPayloadByKeyStore extends DelegatingEventStore {
  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map(copyPayloads);
  }

  override async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    const result = await this.inner.readStreams(streamIds, options);
    for (const [id, events] of result) result.set(id, events.map(copyPayloads));
    return result;
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map(copyPayloads);
  }
}

function copyPayloads(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: copyByKey(event.data),
    metadata: copyByKey(event.metadata) as Record<string, unknown>,
  };
}

function copyByKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyByKey);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyByKey((value as Record<string, unknown>)[key]);
  return out;
}
