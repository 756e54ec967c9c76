import { randomUUID } from 'node:crypto';
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  DuplicateEventError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  StrataError,
  ValidationError,
} from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';
import { expect } from 'vitest';
import { markLogPosition, readOwnEvents } from './log-reader.js';
import type { EventSpec, ExpectedSpec, ModelCommand } from './model-commands.js';
import { STREAMS, TYPES } from './model-commands.js';
import { describeError, type Outcome, settle, show } from './outcome.js';
import { PositionOrder } from './position-order.js';
import { uniqueEventType, uniqueStreamId } from './unique-names.js';

interface SentAppend {
  streamId: string;
  events: NewEvent[];
  options: AppendOptions;
}

/**
 * One run of a command sequence: every command goes to a fresh reference `MemoryEventStore` and
 * to the adapter (round-robin over `stores`), and the two answers must match.
 */
export class ModelRun {
  private readonly model = new MemoryEventStore();
  private readonly streamIds: string[];
  private readonly types: string[];
  private readonly usedIds: string[] = [];
  private readonly sent: SentAppend[] = [];
  private readonly positions = new PositionOrder();
  /** Positions by event id (or by `stream@version` for append results), to pair them across the stores. */
  private readonly modelPositionOf = new Map<string, bigint>();
  private readonly realPositionOf = new Map<string, bigint>();
  private step = 0;

  private constructor(
    private readonly stores: readonly EventStore[],
    private readonly start: bigint,
  ) {
    // Index STREAMS is never appended to: it stands for a missing stream.
    this.streamIds = Array.from({ length: STREAMS + 1 }, (_, i) => uniqueStreamId(`model-${i}`));
    this.types = Array.from({ length: TYPES }, (_, i) => uniqueEventType(`model-${i}`));
    // The last type differs from the first only by case: a types filter must tell them apart.
    this.types[TYPES - 1] = this.types[0]!.toUpperCase();
  }

  static async begin(stores: readonly EventStore[]): Promise<ModelRun> {
    return new ModelRun(stores, await markLogPosition(stores[0]!));
  }

  /** The store the next command goes to. */
  private get real(): EventStore {
    return this.stores[this.step % this.stores.length]!;
  }

  async execute(command: ModelCommand): Promise<void> {
    const label = `command ${this.step + 1} ${show(command)}`;
    switch (command.kind) {
      case 'append':
        await this.append(label, {
          streamId: this.streamIds[command.stream]!,
          events: command.events.map((spec) => this.newEvent(spec)),
          options: {
            ...(await this.expectedVersion(command.stream, command.expected)),
            ...(command.streamType === undefined ? {} : { streamType: command.streamType }),
          },
        });
        break;
      case 'resend': {
        const earlier = this.sent[command.index % Math.max(1, this.sent.length)];
        if (earlier === undefined) break;
        const current = await this.model.streamVersion(earlier.streamId);
        const expectedVersion: ExpectedVersion | undefined =
          command.expected === 'same'
            ? earlier.options.expectedVersion
            : command.expected === 'any'
              ? 'any'
              : Math.max(0, current - 1);
        await this.append(label, {
          ...earlier,
          options: { ...earlier.options, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
        });
        break;
      }
      case 'readStream': {
        const options = definedOnly({
          fromVersion: command.fromVersion,
          toVersion: command.toVersion,
          limit: command.limit,
          direction: command.direction,
        });
        const streamId = this.streamIds[command.stream]!;
        await this.compare(
          label,
          (store) => store.readStream(streamId, options),
          (events, side) => this.events(label, events, side),
        );
        break;
      }
      case 'readStreams': {
        const ids = command.streams.map((i) => this.streamIds[i]!);
        const options = definedOnly({ fromVersion: command.fromVersion });
        await this.compare(
          label,
          (store) => store.readStreams(ids, options),
          (map, side) =>
            [...map]
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([id, events]) => [id, this.events(label, events, side)]),
        );
        break;
      }
      case 'readAll':
        await this.readAll(label, command);
        break;
      case 'streamVersion': {
        const streamId = this.streamIds[command.stream]!;
        await this.compare(
          label,
          (store) => store.streamVersion(streamId),
          (version) => version,
        );
        break;
      }
    }
    this.step++;
  }

  /** After the commands: every stream and the run's whole log must match, and positions keep the log's order. */
  async finish(): Promise<void> {
    const label = 'after the last command';
    for (const streamId of this.streamIds) {
      await this.compare(
        label,
        (store) => store.readStream(streamId),
        (events, side) => this.events(label, events, side),
      );
      await this.compare(
        label,
        (store) => store.streamVersion(streamId),
        (version) => version,
      );
    }
    const modelLog = this.events(label, await this.model.readAll(), 'model');
    for (const store of this.stores) {
      expect(
        this.events(label, await readOwnEvents(store, this.start, this.streamIds), 'real'),
        `${label}: the log`,
      ).toEqual(modelLog);
    }
    expect(this.positions.orderProblems(), `${label}: positions`).toEqual([]);
  }

  private newEvent(spec: EventSpec): NewEvent {
    const reused =
      spec.id.kind === 'fresh' ? undefined : this.usedIds[spec.id.index % Math.max(1, this.usedIds.length)];
    const id = (spec.id.kind === 'reuseUpperCased' ? reused?.toUpperCase() : reused) ?? randomUUID();
    this.usedIds.push(id);
    return {
      id,
      type: this.types[spec.type]!,
      data: spec.data,
      ...(spec.metadata === undefined ? {} : { metadata: spec.metadata }),
      schemaVersion: spec.schemaVersion,
      occurredAt: new Date(spec.occurredAt),
    };
  }

  private async expectedVersion(stream: number, spec: ExpectedSpec): Promise<AppendOptions> {
    const current = await this.model.streamVersion(this.streamIds[stream]!);
    switch (spec.kind) {
      case 'omitted':
        return {};
      case 'exact':
        return { expectedVersion: spec.version };
      case 'current':
        return { expectedVersion: current };
      case 'stale':
        return { expectedVersion: Math.max(0, current - 1) };
      default:
        return { expectedVersion: spec.kind };
    }
  }

  private async append(label: string, append: SentAppend): Promise<void> {
    this.sent.push(append);
    await this.compare(
      label,
      (store) => store.append(append.streamId, append.events, append.options),
      (result: AppendResult, side) => {
        this.pairPosition(label, side, `${append.streamId}@${result.lastVersion}`, result.lastPosition);
        return {
          streamId: result.streamId,
          firstVersion: result.firstVersion,
          lastVersion: result.lastVersion,
        };
      },
    );
  }

  private async readAll(label: string, command: Extract<ModelCommand, { kind: 'readAll' }>): Promise<void> {
    const modelLog = await this.model.readAll();
    const realLog = await readOwnEvents(this.real, this.start, this.streamIds);
    const k = command.afterEvent === undefined ? 0 : command.afterEvent % (modelLog.length + 1);
    const afterId = k === 0 ? undefined : modelLog[k - 1]!.id;
    const modelAfter = k === 0 ? 0n : modelLog[k - 1]!.position;
    const realAfter = afterId === undefined ? this.start : realLog.find((e) => e.id === afterId)?.position;
    if (realAfter === undefined)
      throw new Error(`${label}: event ${afterId} is missing from the adapter's log`);
    const limit = command.limit;

    if (command.types !== undefined) {
      // The run's event types are its own, so a types filter isolates the run's events exactly.
      const types = command.types.map((t) => this.types[t]!);
      const options = { types, ...(limit === undefined ? {} : { limit }) };
      const modelEvents = this.events(
        label,
        await this.model.readAll({ after: modelAfter, ...options }),
        'model',
      );
      const realEvents = this.events(
        label,
        await this.real.readAll({ after: realAfter, ...options }),
        'real',
      );
      expect(realEvents, label).toEqual(modelEvents);
      return;
    }
    // Without a filter other writers' events may interleave: compare the run's own events.
    const own = new Set(this.streamIds);
    const modelEvents = this.events(label, await this.model.readAll({ after: modelAfter }), 'model');
    const page = await this.real.readAll({ after: realAfter, ...(limit === undefined ? {} : { limit }) });
    if (limit !== undefined) expect(page.length, `${label}: page size`).toBeLessThanOrEqual(limit);
    const realOwn = this.events(
      label,
      page.filter((e) => own.has(e.streamId)),
      'real',
    );
    expect(realOwn, label).toEqual(modelEvents.slice(0, realOwn.length));
    if (limit === undefined || page.length < limit)
      expect(realOwn, `${label}: a short page ends the log`).toEqual(modelEvents);
  }

  /** Runs `call` on the model and on the adapter and asserts the same outcome after `normalize`. */
  private async compare<T>(
    label: string,
    call: (store: EventStore) => Promise<T>,
    normalize: (value: T, side: 'model' | 'real') => unknown,
  ): Promise<void> {
    const model = await settle(() => call(this.model));
    const real = await settle(() => call(this.real));
    const expected = this.normalizeOutcome(model, (value) => normalize(value, 'model'));
    const actual = this.normalizeOutcome(real, (value) => normalize(value, 'real'));
    if (
      !model.ok &&
      !real.ok &&
      DuplicateEventError.isInstance(model.error) &&
      DuplicateEventError.isInstance(real.error)
    ) {
      // The adapter may not know which stream holds the duplicate; when it says, it must be right.
      if (real.error.existingStreamId !== undefined) {
        expect(real.error.existingStreamId, `${label}: existingStreamId`).toBe(model.error.existingStreamId);
      }
    }
    expect(actual, label).toEqual(expected);
  }

  private normalizeOutcome<T>(outcome: Outcome<T>, normalize: (value: T) => unknown): unknown {
    if (outcome.ok) return { ok: true, value: normalize(outcome.value) };
    const error = outcome.error;
    if (ConcurrencyError.isInstance(error)) {
      const { code, streamId, expectedVersion, actualVersion } = error;
      return { ok: false, error: { code, streamId, expectedVersion, actualVersion } };
    }
    if (DuplicateEventError.isInstance(error)) {
      return { ok: false, error: { code: error.code, eventId: error.eventId, streamId: error.streamId } };
    }
    if (ValidationError.isInstance(error))
      return { ok: false, error: { code: error.code, path: error.path } };
    if (StrataError.isInstance(error)) return { ok: false, error: { code: error.code } };
    return { ok: false, error: { notAStrataError: describeError(error) } };
  }

  /** Events without what legitimately differs (position, recordedAt); positions are paired instead. */
  private events(label: string, events: readonly RecordedEvent[], side: 'model' | 'real'): unknown[] {
    return events.map((event) => {
      this.pairPosition(label, side, event.id, event.position);
      const { position: _position, recordedAt: _recordedAt, occurredAt, ...rest } = event;
      return { ...rest, occurredAt: occurredAt instanceof Date ? occurredAt.getTime() : show(occurredAt) };
    });
  }

  private pairPosition(label: string, side: 'model' | 'real', key: string, position: bigint): void {
    const mine = side === 'model' ? this.modelPositionOf : this.realPositionOf;
    mine.set(key, position);
    const model = this.modelPositionOf.get(key);
    const real = this.realPositionOf.get(key);
    if (model === undefined || real === undefined) return;
    const problem = this.positions.pair(model, real, `${label} ${key}`);
    if (problem !== undefined) throw new Error(problem);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
