import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * Points the OS temp directory (`TMPDIR`) at a fresh folder for each test, since the SQLite
 * targets put their run files and seed templates there, and removes the folder afterwards.
 * Returns the running test's folder.
 */
export function useTempTmpdir(): () => string {
  let dir: string | undefined;
  let previous: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-bench-test-'));
    previous = process.env.TMPDIR;
    process.env.TMPDIR = dir;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error('the temp folder exists only while a test runs');
    return dir;
  };
}
