import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Does not refuse names holding U+0000 or a lone surrogate: its driver encodes them as U+FFFD, as
 * UTF-8 encoders do, so the name written is not the name given.
 */
export class ManglesUnstorableNamesStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const mangled = Array.isArray(events)
      ? events.map((e) =>
          e !== null && typeof e === 'object'
            ? { ...e, type: mangle(e.type), ...(e.id === undefined ? {} : { id: mangle(e.id) }) }
            : e,
        )
      : events;
    const streamType = options?.streamType;
    return this.inner.append(mangle(streamId), mangled, {
      ...options,
      ...(streamType === undefined ? {} : { streamType: mangle(streamType) }),
    });
  }
}

function mangle<T>(name: T): T {
  return (
    typeof name === 'string' ? name.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD') : name
  ) as T;
}
