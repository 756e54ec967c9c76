import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@strata/vitest-preset/readme-example';
import { expect, it } from 'vitest';
import { runReadmeBlock } from './readme-block.js';

// The README's example, run as a user would: against the built package, through its exports map.
it('the README example runs against the built package and prints what it says', () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(output.trim()).toBe('2050 2n');
});

it('the README realtime example (after the commit) runs against the built package', () => {
  const output = runReadmeBlock(
    fileURLToPath(new URL('..', import.meta.url)),
    'projections test/readme-example.test.ts',
  );
  expect(output.trim().split('\n')).toEqual([
    '1250',
    'realtime failed: a negative total',
    'behind 1250',
    'live 2150',
  ]);
});
