import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Runs the README's ```ts block that follows `<!-- runnable: <marker> -->`, as a user would: compiled
 * to ESM and run by node from a folder inside the package, so packages resolve to their built output.
 */
export function runReadmeBlock(packageDir: string, marker: string): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const start = readme.indexOf(`<!-- runnable: ${marker} -->`);
  const example = start < 0 ? undefined : readme.slice(start).match(/```ts\n([\s\S]*?)```/)?.[1];
  if (example === undefined) throw new Error(`README.md has no runnable block marked "${marker}"`);
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(join(packageDir, '.readme-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), outputText);
    return execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
