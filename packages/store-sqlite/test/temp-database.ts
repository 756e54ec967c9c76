import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll } from 'vitest';

/** A temp folder for this test file's databases, removed after its tests. */
export function tempDatabases(): { path(): string; raw(path: string): BetterSqlite3.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-'));
  const opened: BetterSqlite3.Database[] = [];
  afterAll(() => {
    for (const db of opened) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    /** A fresh file name in the folder. */
    path: () => join(dir, `${randomUUID()}.db`),
    /** A raw better-sqlite3 connection, closed after the file's tests. */
    raw(path: string) {
      const db = new BetterSqlite3(path);
      opened.push(db);
      return db;
    },
  };
}
