import { type PreparedEvent, utf8ByteLength, ValidationError } from '@strata/core';

/** Redis' own default `proto-max-bulk-len` (512 MB), assumed when the server will not say. */
export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;

/**
 * Refuses, before anything is sent, an event whose encoded body is longer than the server's
 * `proto-max-bulk-len`. Redis answers such an argument with a protocol error and drops the
 * connection, failing every command in flight on it: other callers' appends too.
 */
export function assertFitsBulk(
  event: PreparedEvent,
  body: string,
  index: number,
  maxBulkLength: number,
): void {
  // No character takes more than 3 UTF-8 bytes per UTF-16 unit: most bodies need no count.
  if (body.length * 3 <= maxBulkLength) return;
  const bytes = utf8ByteLength(body);
  if (bytes <= maxBulkLength) return;
  const part = event.dataJson.length >= event.metadataJson.length ? 'data' : 'metadata';
  throw new ValidationError(
    `events[${index}].${part}`,
    `the event takes ${bytes} bytes as one Redis argument, more than this server's proto-max-bulk-len (${maxBulkLength})`,
  );
}

/** The value of `CONFIG GET proto-max-bulk-len` (`['proto-max-bulk-len', '536870912']`). */
export function parseMaxBulkLength(reply: unknown): number {
  const value = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_BULK_LENGTH;
}
