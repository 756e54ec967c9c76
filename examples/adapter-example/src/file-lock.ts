import { open, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileOperation } from './storage-error.js';

/**
 * Runs `work` while holding an exclusive lock file, created with O_EXCL so that exactly one
 * writer (in any process) gets it. A lock held past `timeoutMs` makes the store unavailable,
 * like a database locked past its busy timeout.
 */
export async function withFileLock<T>(
  lockPath: string,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  await fileOperation(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await (await open(lockPath, 'wx')).close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (Date.now() > deadline) throw new Error(`${lockPath} was held for more than ${timeoutMs} ms`);
        await sleep(Math.random() * Math.min(attempt, 10));
      }
    }
  });
  try {
    return await work();
  } finally {
    await fileOperation(() => rm(lockPath, { force: true }));
  }
}
