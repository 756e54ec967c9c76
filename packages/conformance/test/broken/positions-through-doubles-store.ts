import type { AppendOptions, AppendResult, NewEvent, RecordedEvent } from '@strata/core';
import { withRecordedEvents } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** What a position becomes after a trip through a double (a JS number, a Lua number, a DOUBLE). */
function throughDouble(position: bigint): bigint {
  return BigInt(Number(position));
}

function rounded(event: RecordedEvent): RecordedEvent {
  return { ...event, position: throughDouble(event.position) };
}

/**
 * Keeps positions in JS numbers, as an adapter does when its driver or script hands them over as
 * doubles: exact below 2^53, rounded past it (2^53 + 1 reads as 2^53).
 */
export class PositionsThroughDoublesStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const result = await this.inner.append(streamId, events, options);
    const recorded = result.events;
    const fields = { ...result, lastPosition: throughDouble(result.lastPosition) };
    return recorded === undefined ? fields : withRecordedEvents(fields, () => recorded.map(rounded));
  }

  override async readStream(
    ...args: Parameters<DelegatingEventStore['readStream']>
  ): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(...args)).map(rounded);
  }

  override async readStreams(
    ...args: Parameters<DelegatingEventStore['readStreams']>
  ): Promise<Map<string, RecordedEvent[]>> {
    const streams = await this.inner.readStreams(...args);
    return new Map([...streams].map(([id, events]) => [id, events.map(rounded)]));
  }

  override async readAll(options?: Parameters<DelegatingEventStore['readAll']>[0]): Promise<RecordedEvent[]> {
    const after = options?.after === undefined ? undefined : throughDouble(options.after);
    return (await this.inner.readAll({ ...options, ...(after === undefined ? {} : { after }) })).map(rounded);
  }
}
