import { ValidationError } from '@strata/core';
import { unwrapDataKey, wrapDataKey } from './data-key.js';
import type { CheckedOptions } from './encryption-options.js';

export interface RewrapOptions {
  /** Resume after this key: the `after` of the last progress report of an interrupted run. */
  after?: { subjectId: string; version: number };
  /** Keys per page; default 100. */
  batchSize?: number;
  /** Called after each page, with the totals so far and where to resume. */
  onProgress?: (progress: RewrapProgress) => void | Promise<void>;
}

export interface RewrapProgress {
  /** Keys looked at in this run. */
  scanned: number;
  /** Keys wrapped again under the current master key. */
  rewrapped: number;
  /** Keys already under the current master key. */
  alreadyCurrent: number;
  /** Keys destroyed (a subject forgotten) or re-wrapped by another run while this one worked. */
  skipped: number;
  /** The last key looked at: pass it as `after` to resume. */
  after: { subjectId: string; version: number } | undefined;
  done: boolean;
}

/** Pages through every key in the key store's order and re-wraps those under an older master key. */
export async function rewrapAll(options: CheckedOptions, run: RewrapOptions = {}): Promise<RewrapProgress> {
  const batchSize = run.batchSize ?? 100;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new ValidationError('options.batchSize', 'must be an integer from 1 to 10,000');
  }
  const progress: RewrapProgress = {
    scanned: 0,
    rewrapped: 0,
    alreadyCurrent: 0,
    skipped: 0,
    after: run.after === undefined ? undefined : { ...run.after },
    done: false,
  };
  const { keyStore, current, masterKeys } = options;
  for (;;) {
    const page = await keyStore.listKeys({ after: progress.after, limit: batchSize });
    for (const wrapped of page) {
      progress.scanned++;
      if (wrapped.masterKeyId === current.id) {
        progress.alreadyCurrent++;
      } else {
        const key = unwrapDataKey(wrapped, masterKeys, { subjectId: wrapped.subjectId });
        const replaced = await keyStore.rewrapKey(wrapDataKey(key, current), wrapped.masterKeyId);
        if (replaced) progress.rewrapped++;
        else progress.skipped++;
      }
      progress.after = { subjectId: wrapped.subjectId, version: wrapped.version };
    }
    progress.done = page.length < batchSize;
    await run.onProgress?.({ ...progress, after: progress.after && { ...progress.after } });
    if (progress.done) return progress;
  }
}
