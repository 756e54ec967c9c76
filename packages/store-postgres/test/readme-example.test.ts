import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@strata/vitest-preset/readme-example';
import { expect, it } from 'vitest';
import { describePostgres } from './support/postgres-test-env.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describePostgres('README', () => {
  it('the typeIndex example runs against the built package and prints what it says', () => {
    const output = runReadmeExample(packageDir, 'typeIndex: true');
    expect(output.trim()).toBe("[ 'order.refunded' ]");
  });
});
