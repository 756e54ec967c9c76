import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Reports the position the next append will take instead of the last one taken: a reader that
 * moves its checkpoint there skips the next event for ever.
 */
export class LastPositionOneAheadStore extends DelegatingEventStore {
  override async lastPosition(): Promise<bigint> {
    return (await this.inner.lastPosition()) + 1n;
  }
}
