import { median } from '../median-stats.js';
import { BareDecryption } from './wrapper-bare-decryption.js';
import type { WrapperCost } from './wrapper-goals.js';
import type { WrapperOperation, WrapperRates } from './wrapper-measure.js';

/** Opens timed per sample: long enough for the clock, short enough to sample many times. */
const OPENS_PER_SAMPLE = 2_000;

/**
 * What node:crypto alone takes to open one AES-256-GCM value of `plaintext`'s size with an AAD of
 * `aadBytes` (a fresh decipher, AAD, tag, update, final: what any per-event decryption must do), in
 * µs: the fastest of `samples` samples. The fastest, not the median: a floor, so the bound it gives
 * is the most a decryption per event could ever leave, even when other processes slowed the rest.
 * Bare calls on bytes in hand, no JSON, no key lookup.
 */
export function measureCipherFloor(plaintext: string, aadBytes: number, samples: number): number {
  const decryption = new BareDecryption(plaintext, aadBytes);
  const microseconds: number[] = [];
  let opened = 0;
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    for (let i = 0; i < OPENS_PER_SAMPLE; i++) opened += decryption.open();
    microseconds.push(((performance.now() - started) * 1000) / OPENS_PER_SAMPLE);
  }
  if (opened !== decryption.ciphertextBytes * OPENS_PER_SAMPLE * samples)
    throw new Error('a decryption came back short');
  return Math.min(...microseconds);
}

/** The most of the plain store's read throughput that one decryption per event can leave. */
export interface CipherBound {
  target: string;
  operation: WrapperOperation;
  /** The plain store's median time per event read, in µs. */
  plainMicroseconds: number;
  /** plain / (plain + cipher floor): the best `vs plain` any per-event decryption can reach. */
  bestRatio: number;
}

/** For each read of each target, the ratio the cipher floor alone would leave. */
export function cipherBounds(rates: readonly WrapperRates[], floorMicroseconds: number): CipherBound[] {
  return rates
    .filter((row) => row.wrapperCase === 'plain' && row.operation !== 'append')
    .map((row) => {
      const plainMicroseconds = 1e6 / median(row.eventsPerSecond);
      return {
        target: row.target,
        operation: row.operation,
        plainMicroseconds,
        bestRatio: plainMicroseconds / (plainMicroseconds + floorMicroseconds),
      };
    });
}

/** An encryption read against its floor: `(plain + floor) / wrapper`, from its `vs plain` and bound. */
export interface CipherFloorRatio {
  target: string;
  operation: WrapperOperation;
  /** `withEncryption`'s `vs plain` over the floor's `bestRatio`: 1 would be the floor itself. */
  vsFloor: number;
  /**
   * `withEncryption`'s `vs plain` over the `bare-decryption` case's: against the floor in place,
   * the same bare decryption run inside the read; `undefined` when that case did not run.
   */
  vsInPlace?: number;
}

/** For each bound, `withEncryption`'s median `vs plain` of that read over the bound's best ratio. */
export function cipherFloorRatios(
  costs: readonly WrapperCost[],
  bounds: readonly CipherBound[],
): CipherFloorRatio[] {
  const ratios: CipherFloorRatio[] = [];
  for (const bound of bounds) {
    const cost = costs.find(
      (c) => c.target === bound.target && c.operation === bound.operation && c.wrapperCase === 'encryption',
    );
    if (cost === undefined) continue;
    const inPlace = costs.find(
      (c) =>
        c.target === bound.target && c.operation === bound.operation && c.wrapperCase === 'bare-decryption',
    );
    ratios.push({
      target: bound.target,
      operation: bound.operation,
      vsFloor: cost.ratio / bound.bestRatio,
      ...(inPlace === undefined ? {} : { vsInPlace: cost.ratio / inPlace.ratio }),
    });
  }
  return ratios;
}
