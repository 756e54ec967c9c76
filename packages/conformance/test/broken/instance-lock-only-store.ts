import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { type AppendOptions, type AppendResult, type NewEvent, satisfiesExpectedVersion } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * No concurrency check in storage at all: the instance runs its appends one at a time, then checks
 * the version and writes in two steps. Every race inside one instance is safe; two instances (two
 * processes, two connections) race freely.
 */
export class InstanceLockOnlyStore extends DelegatingEventStore {
  private tail: Promise<unknown> = Promise.resolve();

  override append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const run = this.tail.then(
      () => this.checkThenWrite(streamId, events, options),
      () => this.checkThenWrite(streamId, events, options),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async checkThenWrite(streamId: string, events: NewEvent[], options: AppendOptions) {
    const version = await this.inner.streamVersion(streamId);
    await yieldToOthers();
    const passed = satisfiesExpectedVersion(options.expectedVersion ?? 'any', version);
    return this.inner.append(streamId, events, passed ? { ...options, expectedVersion: 'any' } : options);
  }
}
