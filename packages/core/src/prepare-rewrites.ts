import { ValidationError } from './errors/validation-error.js';
import type { EventRewrite } from './event-rewrite.js';
import { utf8ByteLength } from './prepare-append.js';
import { type PreparedRewrite, prepareRewrite } from './prepare-rewrite.js';

/**
 * The most rewrites one `rewriteEvents` call takes. One batch is one transaction (or one Redis
 * script), holding its rows' locks until it commits: a bound keeps that short, and keeps a batch
 * within what every server accepts in one go.
 */
export const MAX_REWRITE_BATCH_SIZE = 1_000;

/**
 * The most UTF-8 bytes of data and metadata one `rewriteEvents` call takes, all rewrites together.
 * A Redis script receives the whole batch as one request, and a server holds the whole
 * transaction's new rows at once: eight events of the largest size fit.
 */
export const MAX_REWRITE_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Validates a `rewriteEvents` call: an array of 0 to `MAX_REWRITE_BATCH_SIZE` rewrites, each
 * checked as `prepareRewrite` checks one (paths `rewrites[i].…`), no two naming the same stream
 * version (which one would win is not defined, so neither is taken), and all within
 * `MAX_REWRITE_BATCH_BYTES`. Adapter authors: call this first in `rewriteEvents`.
 */
export function prepareRewrites(rewrites: EventRewrite[]): PreparedRewrite[] {
  if (!Array.isArray(rewrites)) throw new ValidationError('rewrites', 'must be an array');
  if (rewrites.length > MAX_REWRITE_BATCH_SIZE) {
    throw new ValidationError(
      'rewrites',
      `holds ${rewrites.length} rewrites; at most ${MAX_REWRITE_BATCH_SIZE} are accepted in one batch: split it`,
    );
  }
  const prepared: PreparedRewrite[] = [];
  const seen = new Map<string, number>();
  let bytes = 0;
  for (let i = 0; i < rewrites.length; i++) {
    const rewrite = prepareRewrite(rewrites[i]!, `rewrites[${i}]`);
    // U+0000 cannot occur in a stream id (assertName refuses it), so the key is unambiguous.
    const key = `${rewrite.streamId}\u0000${rewrite.version}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(
        `rewrites[${i}]`,
        `names stream "${rewrite.streamId}" version ${rewrite.version}, as rewrites[${first}] does: ` +
          'rewrite each event at most once per batch',
      );
    }
    seen.set(key, i);
    bytes += rewriteBytes(rewrite);
    if (bytes > MAX_REWRITE_BATCH_BYTES) {
      throw new ValidationError(
        `rewrites[${i}]`,
        `takes the batch's data and metadata past ${MAX_REWRITE_BATCH_BYTES} bytes as UTF-8 JSON: split the batch`,
      );
    }
    prepared.push(rewrite);
  }
  return prepared;
}

/** The UTF-8 bytes a prepared rewrite's data and metadata count against `MAX_REWRITE_BATCH_BYTES`. */
export function rewriteBytes(rewrite: Pick<PreparedRewrite, 'dataJson' | 'metadataJson'>): number {
  return utf8ByteLength(rewrite.dataJson) + utf8ByteLength(rewrite.metadataJson);
}
