import { it, type TestContext } from 'vitest';
import { TEST_TIMEOUT_MS } from './test-timeouts.js';

/** `it` with the kit's own timeout, so the adapter's vitest config needs no change. */
export function kitTest(name: string, fn: (context: TestContext) => Promise<void>): void {
  it(name, fn, TEST_TIMEOUT_MS);
}
