import type { NewEvent } from '@strata/core';

/** A small, typical domain event (about 100 bytes of JSON), the same for adapter and raw. */
export function benchEvent(n: number): NewEvent {
  return {
    type: 'bench.item-added',
    data: { sku: `sku-${n % 1_000}`, quantity: (n % 7) + 1, priceCents: 1_299, note: 'benchmark payload' },
    metadata: { source: 'strata-bench' },
  };
}

export function benchBatch(first: number, size: number): NewEvent[] {
  return Array.from({ length: size }, (_, i) => benchEvent(first + i));
}

export function benchStreamIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}
