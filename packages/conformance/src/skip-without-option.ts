import { it } from 'vitest';
import { kitTest } from './kit-test.js';

/**
 * Registers one visibly skipped test naming the option some tests need, so a report shows what
 * was not checked instead of leaving it out silently. Call inside a `describe` block.
 */
export function skipWithoutOption(option: string, what: string, why?: string): void {
  it.skip(`needs options.${option}: pass it to run the ${what} tests${why === undefined ? '' : `; ${why}`}`, () => {});
}

/**
 * Registers a test of store-wide event-id uniqueness, or, when the adapter declared ids unique
 * per stream only, a visibly skipped one, so the report says which guarantee it does not give.
 */
export function kitTestOfStoreWideIds(
  options: { eventIdScope?: 'store-wide' | 'per-stream' },
  title: string,
  body: () => Promise<void>,
): void {
  if (options.eventIdScope === 'per-stream') {
    it.skip(`${title} [skipped: options.eventIdScope is 'per-stream', so ids are not unique across streams]`, () => {});
  } else {
    kitTest(title, body);
  }
}
