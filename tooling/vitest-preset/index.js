// Shared vitest settings. Workspace packages resolve to their TypeScript sources so tests never
// run against a stale build; `test:exports` in each package checks the built output separately.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

export function strataVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    ...overrides,
    test: {
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...(overrides.test ?? {}),
    },
  });
}
