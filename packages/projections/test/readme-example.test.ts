import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@strata/vitest-preset/readme-example';
import { expect, it } from 'vitest';

// The README's example, run as a user would: against the built package, through its exports map.
it('the README example runs against the built package and prints what it says', () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(output.trim()).toBe('2050 2n');
});

it('the README rebuild example runs against the built package and prints what it says', () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), 'blueGreenRebuild(');
  expect(output.trim()).toBe('3 orders_v2 2 stopped running');
});

it('the README realtime example (after the commit) runs against the built package', () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), 'withRealtimeProjector(');
  expect(output.trim().split('\n')).toEqual([
    '1250',
    'realtime failed: a negative total',
    'behind 1250',
    'live 2150',
  ]);
});
