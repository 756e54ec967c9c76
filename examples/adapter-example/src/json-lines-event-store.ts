import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AppendOptions,
  type AppendResult,
  assertExpectedVersion,
  assertName,
  assertPositionAvailable,
  type EventStore,
  type NewEvent,
  normalizeReadAll,
  normalizeReadStream,
  normalizeReadStreams,
  prepareAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  resolveIdempotentRetry,
  StoreClosedError,
  withRecordedEvents,
} from '@strata/core';
import { type BatchLine, EventLog, toRecordedEvent } from './event-log.js';
import { withFileLock } from './file-lock.js';
import {
  appendLine,
  assertStartPosition,
  catchUp,
  cutIncompleteTail,
  readOrCreateStorageId,
  readStart,
  writeStartOnce,
} from './json-lines-file.js';
import { fileOperation, STORE_NAME } from './storage-error.js';

export interface JsonLinesEventStoreOptions {
  /** The folder holding `events.jsonl`; created if missing. Open it from several stores or processes at once. */
  directory: string;
  /** How long an append waits for another writer's lock before `StoreUnavailableError`; default 5,000 ms. */
  lockTimeoutMs?: number;
  /** fsync after each append, so a committed append survives a power cut; default true. */
  sync?: boolean;
  /**
   * A new log continues after this position (default 0n): its first event takes `lastPosition + 1`.
   * Kept in `start.json` when the folder's log is created; ignored for a log that exists.
   */
  lastPosition?: bigint;
}

/**
 * An `EventStore` over one append-only JSON-lines file: each line is one committed append.
 * Small on purpose: it shows what every adapter has to get right, not how to store events fast.
 */
export class JsonLinesEventStore implements EventStore {
  readonly directory: string;
  private readonly path: string;
  private readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly sync: boolean;
  private readonly log: EventLog;
  /** This instance's appends, one after another; the lock file orders them against other instances. */
  private writes: Promise<unknown> = Promise.resolve();
  /**
   * Catch-ups, one after another: two running at once would both read from the same offset and
   * apply the same lines twice. (The kit's tailing-reader test caught exactly that.)
   */
  private catchUps: Promise<unknown> = Promise.resolve();
  private closed = false;
  private id: Promise<string> | undefined;

  /** Use `openJsonLinesEventStore`, which reads where the log starts. */
  constructor(options: JsonLinesEventStoreOptions, lastPosition = 0n) {
    this.directory = options.directory;
    this.log = new EventLog(lastPosition);
    this.path = join(options.directory, 'events.jsonl');
    this.lockPath = join(options.directory, 'events.lock');
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
    this.sync = options.sync ?? true;
  }

  async append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    // 1. Validate the whole call before touching storage: bad input is a ValidationError and nothing is written.
    const append = prepareAppend(streamId, events, options);
    this.assertOpen();
    return this.exclusive(() =>
      withFileLock(this.lockPath, this.lockTimeoutMs, async () => {
        // 2. Holding the lock, read every batch committed so far, including other instances' batches.
        const incompleteTail = await this.catchUp();
        if (incompleteTail > 0) await cutIncompleteTail(this.path, this.log.offset);

        // 3. A resent batch returns its original result, even if its expected version is stale now.
        const found = this.log.locate(append.events.map((event) => event.id));
        const retried = resolveIdempotentRetry(append, found);
        if (retried !== undefined) return retried;

        // 4. The version check and the write happen under one lock: one atomic step.
        const currentVersion = this.log.version(append.streamId);
        assertExpectedVersion(append.streamId, append.expectedVersion, currentVersion);
        // Positions end at 2^63 - 1: refuse a batch that does not fit rather than write past it.
        assertPositionAvailable(STORE_NAME, this.log.nextPosition + BigInt(append.events.length - 1));

        const line: BatchLine = {
          streamId: append.streamId,
          // The stream type is fixed by the stream's first append.
          streamType: this.log.streamType(append.streamId) ?? append.streamType,
          firstVersion: currentVersion + 1,
          recordedAt: Date.now(),
          events: append.events.map((event) => ({
            id: event.id,
            type: event.type,
            data: event.dataJson,
            metadata: event.metadataJson,
            schemaVersion: event.schemaVersion,
            occurredAt: event.occurredAt.getTime(),
          })),
        };
        // 5. One write is one commit: the batch is visible once its line, newline included, is in the file.
        await appendLine(this.path, line, this.sync);
        await this.catchUp();
        const stream = this.log.stream(append.streamId);
        const last = stream[currentVersion + append.events.length - 1]!;
        const result = {
          streamId: append.streamId,
          firstVersion: currentVersion + 1,
          lastVersion: last.version,
          lastPosition: last.position,
        };
        // 6. The events as reads return them, parsed only if the caller looks (the stream only grows).
        return withRecordedEvents(result, () =>
          stream.slice(currentVersion, last.version).map(toRecordedEvent),
        );
      }),
    );
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromVersion, toVersion, limit, direction } = normalizeReadStream(streamId, options);
    await this.refresh();
    const stream = this.log.stream(streamId);
    // Versions are contiguous from 1, so version v sits at index v - 1.
    let selected = stream.slice(fromVersion - 1, Math.min(toVersion, stream.length));
    if (direction === 'backward') selected = selected.reverse();
    if (limit !== undefined) selected = selected.slice(0, limit);
    return selected.map(toRecordedEvent);
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { streamIds: ids, fromVersion } = normalizeReadStreams(streamIds, options.fromVersion);
    await this.refresh();
    return new Map(
      ids.map((id) => [
        id,
        this.log
          .stream(id)
          .slice(fromVersion - 1)
          .map(toRecordedEvent),
      ]),
    );
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit, types } = normalizeReadAll(options);
    await this.refresh();
    const wanted = types === undefined ? undefined : new Set(types);
    const max = limit ?? Number.POSITIVE_INFINITY;
    const result: RecordedEvent[] = [];
    // Positions follow file order, so the events after `after` start at one index.
    for (let i = this.log.indexAfter(after); i < this.log.events.length && result.length < max; i++) {
      const event = this.log.events[i]!;
      if (wanted === undefined || wanted.has(event.type)) result.push(toRecordedEvent(event));
    }
    return result;
  }

  async streamVersion(streamId: string): Promise<number> {
    assertName(streamId, 'streamId');
    await this.refresh();
    return this.log.version(streamId);
  }

  /** The folder's id, kept in `storage-id` beside the log: the same for every store over the folder. */
  async storageId(): Promise<string> {
    this.assertOpen();
    this.id ??= fileOperation(() => readOrCreateStorageId(this.directory));
    // A failed attempt (the folder unreachable) is not cached: the next call tries again.
    this.id.catch(() => {
      this.id = undefined;
    });
    return this.id;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Let an append already under way finish; it either commits or fails on its own.
    await this.writes.catch(() => undefined);
  }

  /** Every read first applies what other instances wrote, and fails like a write when the file is gone. */
  private async refresh(): Promise<void> {
    this.assertOpen();
    await this.catchUp();
  }

  /** Applies what was written since the last catch-up; returns the size of an incomplete last line. */
  private catchUp(): Promise<number> {
    const run = this.catchUps.then(() => catchUp(this.path, this.log));
    this.catchUps = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(STORE_NAME);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

/** Opens (creating if needed) the store in `options.directory`. */
export async function openJsonLinesEventStore(
  options: JsonLinesEventStoreOptions,
): Promise<JsonLinesEventStore> {
  const start = options.lastPosition ?? 0n;
  assertStartPosition(start);
  const lastPosition = await fileOperation(async () => {
    await mkdir(options.directory, { recursive: true });
    // Written before the log file: whoever finds the log finds where it starts.
    await writeStartOnce(options.directory, start);
    // Create the file now: appends open it without O_CREAT, so a vanished folder fails loudly.
    await (await open(join(options.directory, 'events.jsonl'), 'a')).close();
    return readStart(options.directory);
  });
  return new JsonLinesEventStore(options, lastPosition);
}
