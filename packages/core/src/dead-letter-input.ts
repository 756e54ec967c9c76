import type { DeadLetter, DeadLetterError, ListDeadLettersOptions } from './dead-letter-store.js';
import { ValidationError } from './errors/validation-error.js';
import { assertName, hasUnstorableCharacters } from './prepare-append.js';
import { assertVersion } from './read-options.js';
import { MAX_LIST_LIMIT, MAX_POSITION, MAX_VERSION } from './snapshot-input.js';

/** The longest error name, message or stack a dead letter keeps, in UTF-16 code units. */
export const MAX_DEAD_LETTER_TEXT = 16_384;

/**
 * Any thrown value as a `DeadLetterError` every store accepts: text longer than
 * `MAX_DEAD_LETTER_TEXT` is cut, and U+0000 and lone surrogates become U+FFFD.
 */
export function deadLetterErrorOf(thrown: unknown): DeadLetterError {
  if (thrown instanceof Error) {
    return {
      name: storable(thrown.name || 'Error'),
      message: storable(thrown.message),
      stack: typeof thrown.stack === 'string' ? storable(thrown.stack) : null,
    };
  }
  return { name: 'NonError', message: storable(describe(thrown)), stack: null };
}

/** Validates `addDeadLetter` input completely. Adapter authors: call this first. */
export function prepareDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): DeadLetter {
  if (typeof letter !== 'object' || letter === null) {
    throw new ValidationError('deadLetter', 'must be an object');
  }
  assertName(letter.projector, 'deadLetter.projector');
  assertDeadLetterPosition(letter.position, 'deadLetter.position');
  assertName(letter.eventId, 'deadLetter.eventId');
  assertName(letter.streamId, 'deadLetter.streamId');
  assertVersion(letter.version, 'deadLetter.version');
  if (letter.version > MAX_VERSION) {
    throw new ValidationError('deadLetter.version', `must be at most ${MAX_VERSION}`);
  }
  assertName(letter.eventType, 'deadLetter.eventType');
  const error = letter.error as DeadLetterError | undefined;
  if (typeof error !== 'object' || error === null) {
    throw new ValidationError('deadLetter.error', 'must be an object: use deadLetterErrorOf(thrown)');
  }
  assertText(error.name, 'deadLetter.error.name');
  assertText(error.message, 'deadLetter.error.message');
  if (error.stack !== null) assertText(error.stack, 'deadLetter.error.stack');
  if (!Number.isSafeInteger(letter.attempts) || letter.attempts < 1 || letter.attempts > MAX_VERSION) {
    throw new ValidationError('deadLetter.attempts', `must be an integer from 1 to ${MAX_VERSION}`);
  }
  const failedAt = letter.failedAt ?? new Date();
  if (!(failedAt instanceof Date) || Number.isNaN(failedAt.getTime())) {
    throw new ValidationError('deadLetter.failedAt', 'must be a valid Date');
  }
  return {
    projector: letter.projector,
    position: letter.position,
    eventId: letter.eventId,
    streamId: letter.streamId,
    version: letter.version,
    eventType: letter.eventType,
    error: { name: error.name, message: error.message, stack: error.stack },
    attempts: letter.attempts,
    failedAt,
  };
}

/** Validates `listDeadLetters` arguments; `limit` defaults to 100. */
export function normalizeListDeadLetters(
  projector: string,
  options: ListDeadLettersOptions = {},
): { after: bigint | undefined; limit: number } {
  assertName(projector, 'projector');
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object');
  }
  if (options.after !== undefined) assertDeadLetterPosition(options.after, 'options.after');
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new ValidationError('options.limit', `must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  return { after: options.after, limit };
}

/** Validates the (projector, position) key of `removeDeadLetter`. */
export function assertDeadLetterKey(projector: unknown, position: unknown): asserts position is bigint {
  assertName(projector, 'projector');
  assertDeadLetterPosition(position, 'position');
}

function assertDeadLetterPosition(value: unknown, path: string): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_POSITION) {
    throw new ValidationError(path, 'must be a bigint from 0 to 2^63 - 1');
  }
}

function assertText(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError(path, 'must be a string');
  if (value.length > MAX_DEAD_LETTER_TEXT) {
    throw new ValidationError(
      path,
      `must be at most ${MAX_DEAD_LETTER_TEXT} characters: use deadLetterErrorOf`,
    );
  }
  if (hasUnstorableCharacters(value)) {
    throw new ValidationError(path, 'must be well-formed UTF-16 without U+0000: use deadLetterErrorOf');
  }
}

function storable(text: string): string {
  // Cutting may split a surrogate pair: the lone half left over is replaced below.
  const cut = text.length > MAX_DEAD_LETTER_TEXT ? text.slice(0, MAX_DEAD_LETTER_TEXT) : text;
  return cut.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function describe(thrown: unknown): string {
  try {
    return typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    return String(thrown);
  }
}

/** A dead-letter row as SQL adapters bind and read it, column by column. */
export type DeadLetterRowValues = [
  projector: string,
  position: bigint,
  eventId: string,
  streamId: string,
  version: number,
  eventType: string,
  errorName: string,
  errorMessage: string,
  errorStack: string | null,
  attempts: number,
  failedAtMs: number,
];

/**
 * The values of a checked letter, in the column order `projector, position, event_id, stream_id,
 * version, event_type, error_name, error_message, error_stack, attempts, failed_at` (epoch ms).
 * A driver that cannot bind a bigint passes `position` on as text.
 */
export function deadLetterRowValues(letter: DeadLetter): DeadLetterRowValues {
  return [
    letter.projector,
    letter.position,
    letter.eventId,
    letter.streamId,
    letter.version,
    letter.eventType,
    letter.error.name,
    letter.error.message,
    letter.error.stack,
    letter.attempts,
    letter.failedAt.getTime(),
  ];
}

/**
 * A letter from a row in that column order, whatever types the driver hands back for its
 * numbers (bigint, number or decimal text).
 */
export function deadLetterFromRow(row: readonly unknown[]): DeadLetter {
  const [
    projector,
    position,
    eventId,
    streamId,
    version,
    eventType,
    name,
    message,
    stack,
    attempts,
    failedAt,
  ] = row;
  return {
    projector: projector as string,
    position: BigInt(position as bigint | number | string),
    eventId: eventId as string,
    streamId: streamId as string,
    version: Number(version),
    eventType: eventType as string,
    error: { name: name as string, message: message as string, stack: (stack ?? null) as string | null },
    attempts: Number(attempts),
    failedAt: new Date(Number(failedAt)),
  };
}
