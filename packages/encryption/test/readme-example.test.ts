import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// The README's example, run as a user would: against the built package, through its exports map.
it('the README example runs against the built package and prints what it says', () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
  expect(example).toBeDefined();
  const { code } = transformSync(example!, { loader: 'ts', format: 'esm', target: 'node20' });
  // Inside the package, so `@strata/encryption` resolves to itself and its dependencies resolve too.
  const dir = mkdtempSync(join(packageDir, '.readme-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), code);
    const output = execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
    expect(output).toBe(
      'ada@example.com\nAES-256-GCM false\nUserCreated [redacted] , PaymentProcessed 1250 [redacted]\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
