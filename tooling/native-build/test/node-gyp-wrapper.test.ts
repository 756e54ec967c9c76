import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const wrapper = fileURLToPath(new URL('../bin/node-gyp.cjs', import.meta.url));

/** A stand-in for the package manager's node-gyp: prints what it was given, exits with `status`. */
function fakeManagerNodeGyp(status: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'strata-gyp-')), 'node-gyp-bin');
  mkdirSync(dir);
  const script = join(dir, 'node-gyp');
  writeFileSync(script, `#!/bin/sh\necho "real node-gyp $* nodedir=$npm_config_nodedir"\nexit ${status}\n`);
  chmodSync(script, 0o755);
  return dir;
}

function runWrapper(gypDir: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [wrapper, 'rebuild', '--release'], {
    encoding: 'utf8',
    env: { PATH: [gypDir, process.env.PATH].join(delimiter), npm_package_name: 'better-sqlite3', ...env },
  });
}

describe.skipIf(process.platform === 'win32')('the node-gyp wrapper', () => {
  it("runs the package manager's node-gyp with the arguments and the headers it found", () => {
    const result = runWrapper(fakeManagerNodeGyp(0), { npm_config_nodedir: '/opt/node-headers' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('real node-gyp rebuild --release nodedir=/opt/node-headers');
    expect(result.stderr).toBe('');
  });

  it('passes the exit status on and adds one line that says what to install or set', () => {
    const result = runWrapper(fakeManagerNodeGyp(7), { npm_config_nodedir: '/opt/node-headers' });
    expect(result.status).toBe(7);
    const hint = result.stderr.trim().split('\n');
    expect(hint).toHaveLength(1);
    expect(hint[0]).toMatch(/^\[strata\] better-sqlite3 could not be compiled: .*\/opt\/node-headers/);
    expect(hint[0]).toContain('apt-get install python3 make g++');
    expect(hint[0]).toContain('npm_config_nodedir');
  });

  it('refuses to run itself in a loop', () => {
    const result = runWrapper(fakeManagerNodeGyp(0), { STRATA_NODE_GYP_WRAPPER: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('found itself instead of node-gyp');
  });
});
