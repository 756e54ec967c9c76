import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import nodeHeaders from '../src/node-headers.cjs';

const { findNodeHeaders, headersVersion } = nodeHeaders;

function fakeHeaders(version: string, { gypi = true } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-headers-'));
  const include = join(dir, 'include', 'node');
  mkdirSync(include, { recursive: true });
  const [major, minor, patch] = version.split('.');
  writeFileSync(join(include, 'node.h'), '');
  writeFileSync(
    join(include, 'node_version.h'),
    `#define NODE_MAJOR_VERSION ${major}\n#define NODE_MINOR_VERSION ${minor}\n#define NODE_PATCH_VERSION ${patch}\n`,
  );
  if (gypi) writeFileSync(join(include, 'common.gypi'), '{}');
  return dir;
}

const noNpm = () => undefined;

describe('headersVersion', () => {
  it('reads the version the headers were cut for', () => {
    expect(headersVersion(fakeHeaders('20.20.2'))).toBe('20.20.2');
  });

  it('refuses a folder node-gyp could not build against', () => {
    expect(headersVersion(fakeHeaders('20.20.2', { gypi: false }))).toBeUndefined();
    expect(headersVersion(mkdtempSync(join(tmpdir(), 'strata-empty-')))).toBeUndefined();
  });
});

describe('findNodeHeaders', () => {
  it('keeps an explicit npm_config_nodedir untouched', () => {
    const found = findNodeHeaders({ env: { npm_config_nodedir: '/opt/node' }, runNpm: noNpm });
    expect(found).toEqual({ nodedir: '/opt/node', source: 'npm_config_nodedir' });
  });

  it("uses npm's configured nodedir when its headers match the running Node", () => {
    const dir = fakeHeaders('20.1.0');
    const found = findNodeHeaders({
      env: {},
      version: '20.1.0',
      execPath: '/nowhere/bin/node',
      runNpm: () => dir,
    });
    expect(found).toEqual({ nodedir: dir, source: 'npm config nodedir' });
  });

  it('finds the headers installed beside the running node', () => {
    const dir = fakeHeaders('20.1.0');
    const found = findNodeHeaders({
      env: {},
      version: '20.1.0',
      execPath: join(dir, 'bin', 'node'),
      runNpm: noNpm,
    });
    expect(found).toEqual({ nodedir: dir, source: 'the headers beside node' });
  });

  it('ignores headers of another Node version, so node-gyp downloads the right ones', () => {
    const dir = fakeHeaders('18.0.0');
    const found = findNodeHeaders({
      env: {},
      version: '20.1.0',
      execPath: join(dir, 'bin', 'node'),
      runNpm: () => dir,
    });
    expect(found).toBeUndefined();
  });

  it('treats an unset npm setting as absent', () => {
    const found = findNodeHeaders({
      env: {},
      version: '20.1.0',
      execPath: '/nowhere/bin/node',
      runNpm: () => 'undefined',
    });
    expect(found).toBeUndefined();
  });
});
