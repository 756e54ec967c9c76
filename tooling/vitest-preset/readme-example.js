// Runs a package's README example as a user would: the first ```ts block (or the first that
// contains `containing`, for a README with several runnable examples), compiled with esbuild,
// run by node from a folder inside the package, so the package resolves to its built output
// through its own exports map, and its dependencies resolve as they do for users.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

export function runReadmeExample(packageDir, containing, readmePath = join(packageDir, 'README.md')) {
  const readme = readFileSync(readmePath, 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  const example = blocks.find((block) => containing === undefined || block.includes(containing));
  if (example === undefined) {
    throw new Error(`${readmePath} has no \`\`\`ts example${containing ? ` containing ${containing}` : ''}`);
  }
  const { code } = transformSync(example, { loader: 'ts', format: 'esm', target: 'node20' });
  const dir = mkdtempSync(join(packageDir, '.readme-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), code);
    return execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
