import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temp folder for this test file's SQLite databases, removed after its tests. */
export function tempSqliteFiles(): { path(): string } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-tiered-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { path: () => join(dir, `${randomUUID()}.db`) };
}
