import type { AppendOptions, AppendResult, NewEvent, ReadAllOptions, RecordedEvent } from '@strata/core';
import type { MemoryStorage } from '@strata/store-memory';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Positions reserved by appends under way, per storage, so every instance's readers see them. */
const reservations = new WeakMap<MemoryStorage, Map<symbol, bigint>>();

/**
 * Guards against late commits the right way (readers stop before the first position an append
 * under way has reserved) but never releases the reservation of an append that fails, so one
 * refused append holds every reader up for good.
 */
export class LeaksFailedReservationStore extends DelegatingEventStore {
  private get reserved(): Map<symbol, bigint> {
    let map = reservations.get(this.storage);
    if (map === undefined) {
      map = new Map();
      reservations.set(this.storage, map);
    }
    return map;
  }

  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const reservation = Symbol('reservation');
    this.reserved.set(reservation, BigInt(this.storage.log.length + 1));
    const result = await this.inner.append(streamId, events, options);
    // Only reached on success: a failed append's reservation stays.
    this.reserved.delete(reservation);
    return result;
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(options);
    const lowest = [...this.reserved.values()].reduce<bigint | undefined>(
      (min, p) => (min === undefined || p < min ? p : min),
      undefined,
    );
    return lowest === undefined ? events : events.filter((event) => event.position < lowest);
  }
}
