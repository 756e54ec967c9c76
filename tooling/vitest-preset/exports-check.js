// Checks a package the way its users load it: through its own name and `exports` map, from the
// built files, in every module system the map offers. Tests otherwise run against sources, so a
// broken `exports` map, a missing build output or a bundler's renaming would go unnoticed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBE_URL = new URL('./exports-probe.js', import.meta.url).href;
const ROUND_TRIP_TIMEOUT_MS = 60_000;

// Runs in the package's folder, so bare specifiers resolve as they would for the package itself.
const CHILD_SCRIPT = `
import { createRequire } from 'node:module';
import { probe } from ${JSON.stringify(PROBE_URL)};
const require = createRequire(process.cwd() + '/');
const load = { import: (specifier) => import(specifier), require: (specifier) => require(specifier) };
const facts = await probe(JSON.parse(process.argv[1]), load);
process.stdout.write('\\n' + JSON.stringify(facts) + '\\n');
`;

function runProbe(packageDir, task) {
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD_SCRIPT, JSON.stringify(task)],
    { cwd: packageDir, encoding: 'utf8', timeout: ROUND_TRIP_TIMEOUT_MS },
  );
  return JSON.parse(output.trim().split('\n').pop());
}

/** `import` and/or `require`, as the subpath's entry in the exports map offers them. */
function systemsOf(manifest, subpath, only) {
  if (only !== undefined) return only;
  const entry = typeof manifest.exports === 'object' ? manifest.exports[subpath] : undefined;
  if (entry !== null && typeof entry === 'object' && ('import' in entry || 'require' in entry)) {
    return ['import', 'require'].filter((system) => system in entry);
  }
  return manifest.type === 'module' ? ['import'] : ['import', 'require'];
}

export function describePackageExports(packageDir, expectedNamesBySubpath, options = {}) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const { name } = manifest;
  const errorClasses = options.errorClasses ?? {};
  describe(`${name} exports (built output)`, () => {
    for (const [subpath, names] of Object.entries(expectedNamesBySubpath)) {
      const specifier = subpath === '.' ? name : `${name}/${subpath.replace(/^\.\//, '')}`;
      const systems = systemsOf(manifest, subpath, options.systems);
      const expectedErrors = [...(errorClasses[subpath] ?? [])].sort();

      for (const system of systems) {
        it(`${system}('${specifier}') exposes ${names.join(', ')}`, () => {
          const exported = runProbe(packageDir, { kind: 'names', system, specifier });
          expect(exported).toEqual(expect.arrayContaining(names));
        });

        it(`${system}('${specifier}'): error classes are exactly [${expectedErrors.join(', ')}], each named as exported, with its code`, () => {
          const facts = runProbe(packageDir, { kind: 'errors', system, specifier });
          expect(facts.map((fact) => fact.exportName).sort()).toEqual(expectedErrors);
          for (const fact of facts) {
            // A bundler renames classes (`_ConcurrencyError`) and minifiers shorten them: the name
            // a user sees must not depend on either.
            expect(fact.name, fact.exportName).toBe(fact.exportName);
            expect(fact.firstLine, fact.exportName).toMatch(new RegExp(`^${fact.exportName}: `));
            expect(fact.printed, fact.exportName).toMatch(new RegExp(`^${fact.exportName}: `));
            if (fact.staticCode !== undefined) expect(fact.code, fact.exportName).toBe(fact.staticCode);
            if (fact.recognisesItself !== null) expect(fact.recognisesItself, fact.exportName).toBe(true);
          }
        });
      }

      if (systems.length === 2 && expectedErrors.length > 0) {
        for (const system of systems) {
          const other = system === 'import' ? 'require' : 'import';
          it(`isInstance of the ${system} copy of '${specifier}' recognises errors built by the ${other} copy`, () => {
            const facts = runProbe(packageDir, { kind: 'copies', system, specifier });
            expect(facts.map((fact) => fact.exportName).sort()).toEqual(expectedErrors);
            for (const fact of facts) {
              expect(fact, fact.exportName).toEqual({
                exportName: fact.exportName,
                distinctCopies: true,
                recognisesOtherCopy: true,
                otherCopyRecognisesThis: true,
                unrelatedClaimsIt: false,
              });
            }
          });
        }
      }
    }

    if (options.roundTrip !== undefined) {
      const { label, open } = options.roundTrip;
      for (const system of systemsOf(manifest, '.', options.systems)) {
        it(
          `${system}('${name}'): a round trip through ${label}, and its ConcurrencyError`,
          () => {
            const task = { kind: 'round-trip', system, specifier: name, openSource: open.toString() };
            const facts = runProbe(packageDir, task);
            expect(facts.result).toEqual({ firstVersion: 1, lastVersion: 1, lastPositionIsBigint: true });
            expect(facts.read).toEqual([
              {
                type: 'exports.checked',
                version: 1,
                atResultPosition: true,
                dataAsAppended: true,
                data: expect.anything(),
                metadataAsAppended: true,
                occurredAtIsDate: true,
              },
            ]);
            expect(facts.conflict).toEqual({
              name: 'ConcurrencyError',
              code: 'STRATA_CONCURRENCY',
              firstLine: expect.stringMatching(/^ConcurrencyError: /),
              printed: expect.stringMatching(/^ConcurrencyError: /),
              recognisedBySameCore: true,
              recognisedByOtherCore: true,
            });
          },
          ROUND_TRIP_TIMEOUT_MS,
        );
      }
    }
  });
}
