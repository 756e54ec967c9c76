import { describe, expect, it } from 'vitest';
import { cipherBounds, measureCipherFloor } from '../src/wrappers/wrapper-cipher-floor.js';
import type { WrapperRates } from '../src/wrappers/wrapper-measure.js';

const rates = (
  operation: WrapperRates['operation'],
  wrapperCase: WrapperRates['wrapperCase'],
  eventsPerSecond: number[],
): WrapperRates => ({
  target: 'sqlite',
  operation,
  wrapperCase,
  eventsPerSecond,
  eventsPerBlock: 100,
});

describe('cipherBounds', () => {
  it('gives each plain read the ratio that the floor alone would leave: plain / (plain + floor)', () => {
    const bounds = cipherBounds(
      [
        rates('append', 'plain', [4_000]),
        // Medians 250,000 and 500,000 events/s: 4 µs and 2 µs an event.
        rates('readStream-100', 'plain', [200_000, 250_000, 400_000]),
        rates('readStream-100', 'encryption', [50_000, 60_000, 70_000]),
        rates('readAll', 'plain', [500_000]),
      ],
      2,
    );
    expect(bounds.map((b) => b.operation)).toEqual(['readStream-100', 'readAll']);
    expect(bounds[0]!.plainMicroseconds).toBeCloseTo(4, 9);
    expect(bounds[0]!.bestRatio).toBeCloseTo(4 / 6, 9);
    expect(bounds[1]!.plainMicroseconds).toBeCloseTo(2, 9);
    expect(bounds[1]!.bestRatio).toBeCloseTo(0.5, 9);
  });
});

describe('measureCipherFloor', () => {
  it('returns a positive time per decryption, and checks every decryption opened the whole value', () => {
    expect(measureCipherFloor('["customer-1@example.com","+44 20 7946 0001"]', 160, 3)).toBeGreaterThan(0);
  });
});
