import { it } from 'vitest';

/**
 * Registers one visibly skipped test naming the option some tests need, so a report shows what
 * was not checked instead of leaving it out silently. Call inside a `describe` block.
 */
export function skipWithoutOption(option: string, what: string, why?: string): void {
  it.skip(`needs options.${option}: pass it to run the ${what} tests${why === undefined ? '' : `; ${why}`}`, () => {});
}
