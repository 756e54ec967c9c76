import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';
import { underStreamLock } from './stream-lock.js';

/**
 * A backend with no secondary index on event ids: appends lock their stream, look the ids up with
 * a scan, then write. Right for one stream, but two appends of the same ids to two different
 * streams can both pass the scan and both write.
 */
export class IdCheckRacesStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return underStreamLock(this.storage, streamId, async () => {
      const ids = Array.isArray(events)
        ? events.flatMap((e) => (typeof e?.id === 'string' ? [e.id] : []))
        : [];
      if (ids.some((id) => this.storage.eventsById.has(id)))
        return this.inner.append(streamId, events, options);
      await yieldToOthers();
      // The scan found nothing; what another stream stored since is not looked at again.
      for (const id of ids) this.storage.eventsById.delete(id);
      return this.inner.append(streamId, events, options);
    });
  }
}
