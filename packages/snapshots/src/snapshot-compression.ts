import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import { ValidationError } from '@strata/core';

export type CompressionCodec = 'gzip' | 'brotli' | 'none';

export interface CompressionOptions {
  /** Default `'gzip'`. */
  codec?: CompressionCodec;
  /** Level: gzip 1..9 (default 6, the seed's), brotli 0..11 (default 6). */
  level?: number;
  /** States whose JSON is smaller than this many bytes are stored uncompressed. Default 1024. */
  minBytes?: number;
}

/**
 * A stored snapshot state: the codec travels with the bytes, so snapshots written under an old
 * setting stay readable after the setting changes.
 */
export interface SnapshotEnvelope {
  strataSnapshot: 1;
  codec: CompressionCodec;
  /** The encoded state as JSON when `codec` is `'none'`; base64 of the compressed JSON otherwise. */
  body: unknown;
  /** Bytes of the state's JSON before compression. */
  bytes: number;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliCompress);
const unbrotliAsync = promisify(brotliDecompress);

export function resolveCompression(options: CompressionOptions = {}): Required<CompressionOptions> {
  const codec = options.codec ?? 'gzip';
  if (!CODECS.includes(codec)) {
    throw new ValidationError('compression.codec', "must be 'gzip', 'brotli' or 'none'");
  }
  const level = options.level ?? 6;
  const maxLevel = codec === 'brotli' ? 11 : 9;
  const minLevel = codec === 'brotli' ? 0 : 1;
  if (!Number.isSafeInteger(level) || level < minLevel || level > maxLevel) {
    throw new ValidationError(
      'compression.level',
      `must be an integer from ${minLevel} to ${maxLevel} for ${codec}`,
    );
  }
  const minBytes = options.minBytes ?? 1024;
  if (!Number.isSafeInteger(minBytes) || minBytes < 0) {
    throw new ValidationError('compression.minBytes', 'must be an integer >= 0');
  }
  return { codec, level, minBytes };
}

/** Wraps an encoded (JSON-safe) state for storage, compressing it when it is big enough. */
export async function compressState(
  state: unknown,
  options: Required<CompressionOptions>,
): Promise<SnapshotEnvelope> {
  const json = JSON.stringify(state);
  const bytes = Buffer.byteLength(json);
  if (options.codec === 'none' || bytes < options.minBytes) {
    return { strataSnapshot: 1, codec: 'none', body: state, bytes };
  }
  const compressed =
    options.codec === 'gzip'
      ? await gzipAsync(json, { level: options.level })
      : await brotliAsync(json, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: options.level,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
          },
        });
  return { strataSnapshot: 1, codec: options.codec, body: compressed.toString('base64'), bytes };
}

/** The encoded state inside a stored envelope; throws on anything that is not one. */
export async function decompressState(stored: unknown): Promise<unknown> {
  if (!isEnvelope(stored)) throw new Error('not a @strata/snapshots envelope');
  if (!CODECS.includes(stored.codec)) {
    throw new Error(`unknown codec "${String(stored.codec)}": written by a newer @strata/snapshots?`);
  }
  if (stored.codec === 'none') return stored.body;
  if (typeof stored.body !== 'string') throw new Error(`${stored.codec} body is not a base64 string`);
  const bytes = Buffer.from(stored.body, 'base64');
  const json = stored.codec === 'gzip' ? await gunzipAsync(bytes) : await unbrotliAsync(bytes);
  return JSON.parse(json.toString('utf8'));
}

const CODECS: readonly CompressionCodec[] = ['gzip', 'brotli', 'none'];

function isEnvelope(value: unknown): value is SnapshotEnvelope {
  return (
    typeof value === 'object' && value !== null && (value as Partial<SnapshotEnvelope>).strataSnapshot === 1
  );
}
