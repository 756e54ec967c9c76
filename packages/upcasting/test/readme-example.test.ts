import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@strata/vitest-preset/readme-example';
import { expect, it } from 'vitest';

// The README's example, run as a user would: against the built package, through its exports map.
it('the README example runs against the built package and prints what it says', () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(output).toBe(
    'Ada Lovelace en\nUserCreated@1 user.registered@3\n1 UserCreated\nuser.registered@3 user.registered@3\n',
  );
});

it("the README's split example runs against the built package and prints what it says", () => {
  const output = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), 'split: (');
  expect(output).toBe('1:order.placed@2 1:order.shipping-set@1\ntea Paris 1\n2\n0 1\n');
});
