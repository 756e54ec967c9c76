import { StoreUnavailableError } from '@strata/core';

/** The name the adapter gives in its errors: `[strata] [jsonl] ...`. */
export const STORE_NAME = 'jsonl';

/**
 * Runs one file operation and turns whatever the file system throws (ENOENT, EACCES, EIO, a
 * corrupt line) into `StoreUnavailableError`, so callers never see a driver's error.
 */
export async function fileOperation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StoreUnavailableError(STORE_NAME, error);
  }
}
