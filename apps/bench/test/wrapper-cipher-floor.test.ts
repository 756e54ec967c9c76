import { MemoryEventStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { BareDecryption, withBareDecryption } from '../src/wrappers/wrapper-bare-decryption.js';
import { cipherBounds, cipherFloorRatios, measureCipherFloor } from '../src/wrappers/wrapper-cipher-floor.js';
import { customerEvent } from '../src/wrappers/wrapper-events.js';
import type { WrapperCost } from '../src/wrappers/wrapper-goals.js';
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

describe('cipherFloorRatios', () => {
  const cost = (
    operation: WrapperCost['operation'],
    wrapperCase: WrapperCost['wrapperCase'],
    ratio: number,
  ) => ({
    target: 'sqlite',
    operation,
    wrapperCase,
    ratio,
    cost: 1 - ratio,
  });
  // Plain reads of 4 µs and 2 µs an event, a floor of 2 µs: bounds 4/6 and 0.5.
  const bounds = [
    { target: 'sqlite', operation: 'readStream-100' as const, plainMicroseconds: 4, bestRatio: 4 / 6 },
    { target: 'sqlite', operation: 'readAll' as const, plainMicroseconds: 2, bestRatio: 0.5 },
  ];

  it("gives withEncryption's vs plain over the bound: (plain + floor) / wrapper time", () => {
    const ratios = cipherFloorRatios(
      [
        // 4 µs plain, 7.5 µs through the wrapper: (4 + 2) / 7.5 = 0.8.
        cost('readStream-100', 'encryption', 4 / 7.5),
        cost('readStream-100', 'upcasting', 0.99),
        // 2 µs plain, 8 µs through the wrapper: (2 + 2) / 8 = 0.5.
        cost('readAll', 'encryption', 0.25),
        cost('readAll', 'both', 0.2),
        // The floor in place read at 0.4x of plain: 0.25 / 0.4.
        cost('readAll', 'bare-decryption', 0.4),
      ],
      bounds,
    );
    expect(ratios.map((r) => r.operation)).toEqual(['readStream-100', 'readAll']);
    expect(ratios[0]!.vsFloor).toBeCloseTo(0.8, 9);
    expect(ratios[1]!.vsFloor).toBeCloseTo(0.5, 9);
    expect(ratios[0]!.vsInPlace).toBeUndefined();
    expect(ratios[1]!.vsInPlace).toBeCloseTo(0.625, 9);
  });
});

class CountingDecryption extends BareDecryption {
  opens = 0;
  override open(): number {
    this.opens++;
    return super.open();
  }
}

describe('withBareDecryption', () => {
  it('runs one bare decryption per event read and returns the events unchanged', async () => {
    const store = new MemoryEventStore();
    await store.append('s', [customerEvent('s', 1), customerEvent('s', 2)]);
    const counting = new CountingDecryption('["a@example.com","+44"]', 160);
    const inPlace = withBareDecryption(store, counting);
    expect(await inPlace.readStream('s')).toEqual(await store.readStream('s'));
    expect(counting.opens).toBe(2);
    expect(await inPlace.readAll()).toEqual(await store.readAll());
    expect(counting.opens).toBe(4);
    const streams = await inPlace.readStreams(['s', 'missing']);
    expect(streams.get('s')).toHaveLength(2);
    expect(counting.opens).toBe(6);
  });
});
