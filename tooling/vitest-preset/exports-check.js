// Checks a package the way its users load it: through its own name and `exports` map, from the
// built files, in both module systems. Tests otherwise run against sources, so a broken `exports`
// map or a missing build output would go unnoticed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

export function describePackageExports(packageDir, expectedNamesBySubpath) {
  const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  describe(`${name} exports (built output)`, () => {
    for (const [subpath, names] of Object.entries(expectedNamesBySubpath)) {
      const specifier = subpath === '.' ? name : `${name}/${subpath.replace(/^\.\//, '')}`;
      for (const system of ['import', 'require']) {
        it(`${system}('${specifier}') exposes ${names.join(', ')}`, () => {
          const load =
            system === 'import'
              ? `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m))))`
              : `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`;
          const output = execFileSync(process.execPath, ['-e', load], { cwd: packageDir, encoding: 'utf8' });
          const exported = JSON.parse(output.trim().split('\n').pop());
          expect(exported).toEqual(expect.arrayContaining(names));
        });
      }
    }
  });
}
