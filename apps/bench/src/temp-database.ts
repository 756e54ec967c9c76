import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDatabaseFile {
  /** Path of the database file inside its own fresh directory. */
  path: string;
  /** Deletes the directory with the file and whatever sits beside it (WAL, shared memory). */
  remove(): Promise<void>;
}

/** A fresh directory per run, so every run starts from an empty file and leaves nothing behind. */
export async function createTempDatabaseFile(prefix: string, fileName: string): Promise<TempDatabaseFile> {
  const dir = await mkdtemp(join(tmpdir(), `strata-bench-${prefix}-`));
  return {
    path: join(dir, fileName),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
