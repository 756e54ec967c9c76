import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const marker = '<!-- runnable: store-sqlite test/projections-readme.test.ts -->';

// The projections README's SQLite example needs this package, which @strata/projections cannot
// depend on (this package's tests depend on it): it runs here, against both built packages.
it("the projections README's realtime example on SQLite runs and prints what it says", () => {
  const readme = readFileSync(join(packageDir, '..', 'projections', 'README.md'), 'utf8');
  const start = readme.indexOf(marker);
  const example = start < 0 ? undefined : readme.slice(start).match(/```ts\n([\s\S]*?)```/)?.[1];
  if (example === undefined) throw new Error(`the projections README lost its block "${marker}"`);
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(join(packageDir, '.readme-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), outputText);
    const output = execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
    expect(output.trim()).toBe('2050 live');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
