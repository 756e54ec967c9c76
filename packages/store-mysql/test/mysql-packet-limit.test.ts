import { prepareAppend, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { assertFitsPacket } from '../src/mysql-packet-limit.js';

// A server with MySQL 5.7's default packet: core's 8 MiB payload limit is not enough there.
const PACKET = 4 * 1024 * 1024;

function pathOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.path;
    throw error;
  }
}

describe('assertFitsPacket', () => {
  it('accepts an event whose row fits in one packet', () => {
    const append = prepareAppend('s', [{ type: 't', data: 'x'.repeat(PACKET - 16 * 1024) }]);
    expect(pathOf(() => assertFitsPacket(append, PACKET))).toBeUndefined();
  });

  it('names the data or the metadata of the event whose row would not fit', () => {
    const big = 'x'.repeat(PACKET);
    expect(
      pathOf(() =>
        assertFitsPacket(
          prepareAppend('s', [
            { type: 't', data: 1 },
            { type: 't', data: big },
          ]),
          PACKET,
        ),
      ),
    ).toBe('events[1].data');
    expect(
      pathOf(() => assertFitsPacket(prepareAppend('s', [{ type: 't', data: 1, metadata: { big } }]), PACKET)),
    ).toBe('events[0].metadata');
  });

  it('counts UTF-8 bytes: a third of the packet in 3-byte characters does not fit', () => {
    const append = prepareAppend('s', [{ type: 't', data: '€'.repeat(Math.ceil(PACKET / 3)) }]);
    expect(pathOf(() => assertFitsPacket(append, PACKET))).toBe('events[0].data');
  });
});
