import { describe, expect, it } from 'vitest';
import { prepareAppend } from '../src/prepare-append.js';
import { recordedEventsOf } from '../src/recorded-events.js';

describe('recordedEventsOf', () => {
  const occurredAt = new Date(1_700_000_000_000);
  const append = () =>
    prepareAppend(
      'order-1',
      [
        { id: 'a', type: 'placed', data: { n: 1 }, occurredAt },
        { id: 'b', type: 'paid', data: { n: 2 }, metadata: { by: 'u' }, schemaVersion: 2, occurredAt },
      ],
      { streamType: 'ignored' },
    );

  it('gives each event its version and position, counting back from the last position', () => {
    const events = recordedEventsOf(append(), {
      streamType: 'order',
      firstVersion: 4,
      lastPosition: 11n,
      recordedAt: 1_700_000_000_500,
    });
    expect(events).toEqual([
      {
        id: 'a',
        streamId: 'order-1',
        streamType: 'order',
        type: 'placed',
        data: { n: 1 },
        metadata: {},
        schemaVersion: 1,
        version: 4,
        position: 10n,
        occurredAt,
        recordedAt: new Date(1_700_000_000_500),
      },
      {
        id: 'b',
        streamId: 'order-1',
        streamType: 'order',
        type: 'paid',
        data: { n: 2 },
        metadata: { by: 'u' },
        schemaVersion: 2,
        version: 5,
        position: 11n,
        occurredAt,
        recordedAt: new Date(1_700_000_000_500),
      },
    ]);
  });

  it('spaces positions by positionStep, and never shares objects with the input', () => {
    const prepared = append();
    const events = recordedEventsOf(prepared, {
      streamType: 'order',
      firstVersion: 1,
      lastPosition: 3n * 16_384n + 7n,
      positionStep: 16_384n,
      recordedAt: 0,
    });
    expect(events.map((e) => e.position)).toEqual([2n * 16_384n + 7n, 3n * 16_384n + 7n]);
    expect(events[0]!.data).not.toBe(prepared.events[0]!.data);
    expect(events[0]!.occurredAt).not.toBe(prepared.events[0]!.occurredAt);
  });
});
