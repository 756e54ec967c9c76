import {
  type AppendOptions,
  type AppendResult,
  type EventRewrite,
  type EventStore,
  type NewEvent,
  prepareAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  StoreClosedError,
  supportsEventRewrite,
  supportsEventRewriteBatch,
} from '@strata/core';
import { sealedRewrite, sealedRewrites } from './encrypted-rewrite.js';
import type { Encryption, SealedFields } from './encryption.js';
import { OpenedAppendResult } from './opened-append-result.js';

/**
 * `store` with the fields `encryption` names encrypted before every append and opened on every
 * read (redacted once their subject is forgotten). Closing the wrapper leaves `store` open.
 */
export function withEncryption(store: EventStore, encryption: Encryption): EventStore {
  return new EncryptingEventStore(store, encryption);
}

class EncryptingEventStore implements EventStore {
  storageId?: () => Promise<string>;
  /** The wrapped store's, when it has one: encryption changes payloads, never positions. */
  lastPosition?: () => Promise<bigint>;
  /**
   * Core's optional `EventRewriter`, when `store` has it: the new payload's configured fields are
   * encrypted first, as for an append (see `sealedRewrite`), so no plaintext reaches the store.
   */
  rewriteEvent?: (rewrite: EventRewrite) => Promise<void>;
  /**
   * The batch form, when `store` has it: each rewrite sealed as for `rewriteEvent`, then the whole
   * batch passed on, so it stays all or nothing.
   */
  rewriteEvents?: (rewrites: EventRewrite[]) => Promise<void>;
  #closed = false;
  readonly #inner: EventStore;
  readonly #encryption: Encryption;

  constructor(inner: EventStore, encryption: Encryption) {
    this.#inner = inner;
    this.#encryption = encryption;
    if (inner.storageId !== undefined) {
      this.storageId = () => {
        this.#assertOpen();
        return inner.storageId!();
      };
    }
    if (inner.lastPosition !== undefined) {
      // Async, so a closed wrapper rejects as its other methods do.
      this.lastPosition = async () => {
        this.#assertOpen();
        return inner.lastPosition!();
      };
    }
    if (supportsEventRewrite(inner)) {
      this.rewriteEvent = async (rewrite) => {
        this.#assertOpen();
        await inner.rewriteEvent(await sealedRewrite(this.#encryption, rewrite));
      };
    }
    if (supportsEventRewriteBatch(inner)) {
      this.rewriteEvents = async (rewrites) => {
        this.#assertOpen();
        await inner.rewriteEvents(await sealedRewrites(this.#encryption, rewrites));
      };
    }
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.#assertOpen();
    if (!Array.isArray(events) || !events.some((event) => this.#encrypts(event))) {
      return this.#inner.append(streamId, events, options);
    }
    // Bad input is refused as the store would refuse it, naming the plaintext path, before any key is made.
    prepareAppend(streamId, events, options);
    const sealed: NewEvent[] = [];
    const plain = new Map<number, SealedFields>();
    for (let i = 0; i < events.length; i++) {
      const result = await this.#encryption.sealEvent(streamId, events[i]!, `events[${i}]`);
      sealed.push(result.event);
      if (result.sealed !== undefined) plain.set(i, result.sealed);
    }
    const result = await this.#inner.append(streamId, sealed, options);
    return new OpenedAppendResult(result, (recorded) =>
      recorded.map((event, i) => {
        const fields = plain.get(i);
        return fields === undefined ? event : this.#encryption.withPlainFields(event, fields);
      }),
    );
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.#assertOpen();
    return this.#opened(await this.#inner.readStream(streamId, options));
  }

  async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    this.#assertOpen();
    const streams = await this.#inner.readStreams(streamIds, options);
    for (const [streamId, events] of streams) streams.set(streamId, await this.#opened(events));
    return streams;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.#assertOpen();
    return this.#opened(await this.#inner.readAll(options));
  }

  async streamVersion(streamId: string): Promise<number> {
    this.#assertOpen();
    return this.#inner.streamVersion(streamId);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  toString(): string {
    return 'EncryptingEventStore';
  }

  #encrypts(event: unknown): boolean {
    const type = (event as { type?: unknown } | null)?.type;
    return typeof type === 'string' && this.#encryption.encrypts(type);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('EncryptingEventStore');
  }

  #opened(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    return this.#encryption.openEvents(events);
  }
}
