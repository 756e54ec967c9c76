import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The kit is an ES module only: vitest cannot be loaded from a CommonJS build, so one would throw
// on load. These tests load the built kit by its name, through its exports map, as an adapter does.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

const EXPORTED = [
  'describeEventStore',
  'describeSnapshotStore',
  'describeCheckpointStore',
  'describeDeadLetterStore',
  'describeKeyStore',
  'describeLeaseProvider',
  'describeAppendBasics',
  'describeBatchAtomicity',
  'describeConcurrency',
  'describeExpectedVersion',
  'describeFreshReads',
  'describeIdempotency',
  'describeLargeStream',
  'describeModelBased',
  'describePayloadFidelity',
  'describeReadAll',
  'describeReadStream',
  'describeReadStreams',
  'describeTailingReader',
  'describeTwoInstances',
  'describeUnavailability',
  'describeValidation',
];

describe('@strata/conformance exports (built output)', () => {
  it(`import('@strata/conformance') exposes ${EXPORTED.length} functions`, () => {
    const load = `import('@strata/conformance').then((m) => console.log(JSON.stringify(Object.keys(m))))`;
    const output = execFileSync(process.execPath, ['-e', load], { cwd: packageDir, encoding: 'utf8' });
    const exported = JSON.parse(output.trim().split('\n').pop() ?? '[]') as string[];
    expect(exported).toEqual(expect.arrayContaining(EXPORTED));
  });

  it('ships no CommonJS build and no require condition', () => {
    const manifest = JSON.parse(readFileSync(`${packageDir}/package.json`, 'utf8')) as {
      exports: Record<string, unknown>;
      main: string;
    };
    expect(JSON.stringify(manifest.exports)).not.toContain('require');
    expect(manifest.main.endsWith('.js')).toBe(true);
    expect(existsSync(`${packageDir}/dist/index.cjs`)).toBe(false);
  });

  it('takes @strata/core from the program, as a peer, so there is one copy of the contract', () => {
    const manifest = JSON.parse(readFileSync(`${packageDir}/package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.peerDependencies['@strata/core']).toBeDefined();
    expect(manifest.dependencies['@strata/core']).toBeUndefined();
  });
});
