import type { AppendTransactionHookOptions, CheckpointAdvanceRequest } from './append-transaction-hooks.js';
import { ValidationError } from './errors/validation-error.js';
import { assertName } from './prepare-append.js';

/**
 * Checks `onAppendTransaction`'s options when the hook is registered, so that a bad name or type
 * list is refused there and never reaches an append; returns the checkpoint request (a copy, its
 * types frozen), or `undefined` when there is none.
 */
export function normalizeAppendHookOptions(
  options: AppendTransactionHookOptions | undefined,
): CheckpointAdvanceRequest | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object such as { advanceCheckpoint: { name, types } }');
  }
  const request = options.advanceCheckpoint;
  if (request === undefined) return undefined;
  if (typeof request !== 'object' || request === null) {
    throw new ValidationError('options.advanceCheckpoint', 'must be { name, types }');
  }
  assertName(request.name, 'options.advanceCheckpoint.name');
  const { types } = request;
  if (!Array.isArray(types) || types.length === 0) {
    throw new ValidationError(
      'options.advanceCheckpoint.types',
      'must be a non-empty array of the event types the checkpoint follows',
    );
  }
  for (const [i, type] of types.entries()) assertName(type, `options.advanceCheckpoint.types[${i}]`);
  return { name: request.name, types: Object.freeze([...new Set<string>(types)]) };
}
