import { MAX_POSITION, type RecordedEvent } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { decodeHotEvents, encodeHotEvents } from '../src/hot-event-codec.js';

function event(version: number, position: bigint): RecordedEvent {
  return {
    id: `e-${version}`,
    streamId: 'order-1',
    streamType: 'order',
    type: 'order.placed',
    data: { total: version },
    metadata: { by: 'u' },
    schemaVersion: 1,
    version,
    position,
    occurredAt: new Date(1_700_000_000_000 + version),
    recordedAt: new Date(1_700_000_000_500 + version),
  };
}

describe('hot tier entries', () => {
  const events = [event(1, 999_999_999_999_999n), event(2, 10n ** 15n), event(3, MAX_POSITION)];

  it('hold a position of up to 15 digits as a JSON number and a longer one as a string, exactly', () => {
    const { body } = encodeHotEvents(events);
    expect(JSON.parse(`[${body.slice(0, -1)}]`).map((entry: unknown[]) => entry[3])).toEqual([
      999_999_999_999_999,
      '1000000000000000',
      MAX_POSITION.toString(),
    ]);
    expect(decodeHotEvents('order-1', Buffer.from(body), 0)).toEqual(events);
  });

  it('decode copies written when every position was a string', () => {
    const quoted = encodeHotEvents(events).body.replace(',999999999999999,', ',"999999999999999",');
    expect(quoted).toContain('"999999999999999"');
    expect(decodeHotEvents('order-1', Buffer.from(quoted), 0)).toEqual(events);
  });
});
