import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { type AppendOptions, type AppendResult, type NewEvent, satisfiesExpectedVersion } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Checks the expected version, then writes in a separate step: right for one writer, but two
 * writers can both pass the check (the seed guide's "check-then-insert").
 */
export class RacyVersionCheckStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const version = await this.inner.streamVersion(streamId);
    await yieldToOthers();
    const passed = satisfiesExpectedVersion(options.expectedVersion ?? 'any', version);
    return this.inner.append(streamId, events, passed ? { ...options, expectedVersion: 'any' } : options);
  }
}
