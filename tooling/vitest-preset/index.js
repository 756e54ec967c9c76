// Shared vitest settings. Workspace packages resolve to their TypeScript sources so tests never
// run against a stale build; `test:exports` in each package checks the built output separately.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function workspaceAliases() {
  const aliases = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    const entries = [
      ['', 'src/index.ts'],
      ['/testing', 'src/testing/index.ts'],
    ];
    for (const [subpath, file] of entries) {
      if (existsSync(join(pkgDir, file))) {
        aliases.push({ find: new RegExp(`^@strata/${dir}${subpath}$`), replacement: join(pkgDir, file) });
      }
    }
  }
  return aliases;
}

// CI sums the test counts of every package from these files (vitest prints no single total line).
function reporters() {
  const dir = process.env.STRATA_TEST_REPORT_DIR;
  if (!dir) return undefined;
  const name = basename(process.cwd());
  return ['default', ['json', { outputFile: join(dir, `${name}.json`) }]];
}

export function strataVitestConfig(overrides = {}) {
  const ciReporters = reporters();
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    ...overrides,
    test: {
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...(ciReporters ? { reporters: ciReporters } : {}),
      ...(overrides.test ?? {}),
    },
  });
}
