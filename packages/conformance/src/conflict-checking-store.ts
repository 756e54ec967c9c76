import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  type EventRewrite,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  satisfiesExpectedVersion,
} from '@strata/core';
import { assert } from 'vitest';
import { describeError, settle, show } from './outcome.js';

/**
 * The adapter's store as every kit test sees it, with each `ConcurrencyError` checked against the
 * append that got it. A conflict must mean the expected version really was wrong: an adapter that
 * reports a lock timeout or a busy server as one sends `AggregateRepository.update` reloading and
 * re-running a command on a stream that never moved, and it never gives up on `'any'`.
 */
export class ConflictCheckingStore implements EventStore {
  /** The adapter's own, when it has one: the optional method must stay optional through the wrapper. */
  readonly storageId?: () => Promise<string>;
  /** Likewise `lastPosition`. */
  readonly lastPosition?: () => Promise<bigint>;
  /** Likewise the optional `EventRewriter` capability. */
  readonly rewriteEvent?: (rewrite: EventRewrite) => Promise<void>;
  readonly rewriteEvents?: (rewrites: EventRewrite[]) => Promise<void>;

  constructor(readonly adapter: EventStore) {
    const { storageId } = adapter;
    if (typeof storageId === 'function') this.storageId = () => storageId.call(adapter);
    const { lastPosition } = adapter;
    if (typeof lastPosition === 'function') this.lastPosition = () => lastPosition.call(adapter);
    const { rewriteEvent } = adapter as { rewriteEvent?: (rewrite: EventRewrite) => Promise<void> };
    if (typeof rewriteEvent === 'function')
      this.rewriteEvent = (rewrite) => rewriteEvent.call(adapter, rewrite);
    const { rewriteEvents } = adapter as { rewriteEvents?: (rewrites: EventRewrite[]) => Promise<void> };
    if (typeof rewriteEvents === 'function')
      this.rewriteEvents = (rewrites) => rewriteEvents.call(adapter, rewrites);
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    try {
      return await this.adapter.append(streamId, events, options);
    } catch (error) {
      if (ConcurrencyError.isInstance(error)) await this.checkConflict(streamId, options, error);
      throw error;
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.adapter.readStream(streamId, options);
  }

  readStreams(streamIds: string[], options?: ReadStreamsOptions): Promise<Map<string, RecordedEvent[]>> {
    return this.adapter.readStreams(streamIds, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.adapter.readAll(options);
  }

  streamVersion(streamId: string): Promise<number> {
    return this.adapter.streamVersion(streamId);
  }

  close(): Promise<void> {
    return this.adapter.close();
  }

  private async checkConflict(
    streamId: string,
    options: AppendOptions | undefined,
    error: ConcurrencyError,
  ): Promise<void> {
    const expected = options?.expectedVersion ?? 'any';
    const call = `append(${show(streamId)}, …, { expectedVersion: ${show(expected)} }) threw ${describeError(error)}`;
    const { actualVersion } = error;
    if (!Number.isSafeInteger(actualVersion) || actualVersion < 0) {
      assert.fail(`${call}: its actualVersion ${show(actualVersion)} is not a version`);
    }
    if (error.streamId !== streamId) assert.fail(`${call}: it names stream ${show(error.streamId)}`);
    if (satisfiesExpectedVersion(expected, actualVersion)) {
      assert.fail(
        `${call}, but version ${actualVersion} satisfies that expected version: a ConcurrencyError ` +
          'must mean the expected version was wrong (a lock timeout or a busy server is StoreUnavailableError)',
      );
    }
    // Versions only grow, so the stream cannot be behind the version the conflict reported. A read
    // that fails (an outage) proves nothing either way.
    const now = await settle(() => this.adapter.streamVersion(streamId));
    if (now.ok && now.value < actualVersion) {
      assert.fail(
        `${call}, but the stream is at version ${now.value}: actualVersion must be the stream's version`,
      );
    }
  }
}
